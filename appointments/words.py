"""Times as people read them, in the portal's time zone (Europe/London)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import pgettext


def clock(value: datetime) -> str:
    """ "10am", "10:30am", "midday": as GOV.UK writes a time of day."""
    local = timezone.localtime(value)
    if (local.hour, local.minute) == (0, 0):
        return pgettext("time of day", "midnight")
    if (local.hour, local.minute) == (12, 0):
        return pgettext("time of day", "midday")
    shown = time_format(local.time(), "g" if local.minute == 0 else "g:i")
    if local.hour < 12:
        return pgettext("time of day", "%(time)sam") % {"time": shown}
    return pgettext("time of day", "%(time)spm") % {"time": shown}


def day(value: datetime) -> str:
    """ "Monday 7 December 2026"."""
    return date_format(timezone.localtime(value), "l j F Y")


def when(value: datetime) -> str:
    """ "Monday 7 December 2026 at 10:30am"."""
    return pgettext("date and time", "%(date)s at %(time)s") % {
        "date": day(value),
        "time": clock(value),
    }
