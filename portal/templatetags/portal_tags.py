from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_name() -> str:
    """The service's name, for templates rendered without a request (emails)."""
    return settings.PORTAL_NAME
