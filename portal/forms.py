"""Form rendering in the design system, shared by every form in the portal.

``FORM_RENDERER`` points here, so ``{{ form }}`` renders an error summary linked to the
fields, then each field as a design-system form group with its hint and error message.
"""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
