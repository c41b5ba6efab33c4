from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def portal_name() -> str:
    """The service's name, for templates rendered without a request (emails)."""
    return settings.PORTAL_NAME


@register.filter
def gbp_text(value) -> str:
    """An amount as people read it: £1,234.56, −£12.00 for deductions."""
    from decimal import Decimal, InvalidOperation

    from benefits.rules.base import gbp

    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return f"−{gbp(-amount)}" if amount < 0 else gbp(amount)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag
def live_poll_seconds() -> int:
    """How often live panels (claim status, Your services) ask whether anything changed."""
    return settings.PORTAL_LIVE_POLL_SECONDS
