from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentativesConfig(AppConfig):
    name = "representatives"
    verbose_name = _("Representatives and your data")

    def ready(self) -> None:
        from representatives.export import sections

        sections.register()  # "Download my data": the sections this app and those below fill
