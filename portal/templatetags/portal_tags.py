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
    """An amount as people read it: £1,234.56, and "£12 taken off" for a deduction."""
    from decimal import Decimal, InvalidOperation

    from benefits.rules.base import gbp_item

    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return gbp_item(amount)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag
def live_poll_seconds() -> int:
    """How often live panels (claim status, Your services) ask whether anything changed."""
    return settings.PORTAL_LIVE_POLL_SECONDS


@register.filter
def clock(value) -> str:
    """A time of day as GOV.UK writes it: "10:24pm", "9am", "midday", "midnight".

    Django's "a" and "P" formats write "p.m.", which doubles the full stop at the end of a
    sentence ("at 10:24p.m.."). Hours and minutes go through Django's localised
    ``date_format``, and the words through gettext, so another language words them its way.
    """
    from datetime import datetime, time

    from django.utils import timezone
    from django.utils.formats import time_format
    from django.utils.translation import pgettext

    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.time()
    if not isinstance(value, time):
        return ""
    if (value.hour, value.minute) == (0, 0):
        return pgettext("time of day", "midnight")
    if (value.hour, value.minute) == (12, 0):
        return pgettext("time of day", "midday")
    shown = time_format(value, "g" if value.minute == 0 else "g:i")
    if value.hour < 12:
        return pgettext("time of day", "%(time)sam") % {"time": shown}
    return pgettext("time of day", "%(time)spm") % {"time": shown}


@register.filter
def when(value, style: str = "long") -> str:
    """A moment as people read it: "4 March 2026 at 10:24pm" (``style`` "short": "4 Mar 2026
    at 10:24pm", "day": "4 Mar at 10:24pm"), in the local time zone."""
    from datetime import datetime

    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import pgettext

    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    day = date_format(local, {"short": "j M Y", "day": "j M"}.get(style, "j F Y"))
    return pgettext("date and time", "%(date)s at %(time)s") % {"date": day, "time": clock(local)}
