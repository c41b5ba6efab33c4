"""Reminders of appointments, 24 hours and 2 hours before, as occasions of
``notifications.occasions``.

The daily 07:30 group is too coarse for "2 hours before", so appointments have a group of
their own, run every 10 minutes by beat (``appointments.tasks.send_reminders``) and by
``manage.py run_appointment_reminders``. Each occasion is one statement over the booked
appointments starting in its window (the partial index ``appt_booked_time``); the engine
tells each person once per appointment and occasion (keys ``appt:<id>:24h`` and
``appt:<id>:2h``), in their language (the day and month too, named as the confirmation
names them), on the channels they chose for reminders. A run that
was missed is caught up by the next: the windows are "from now until", not "exactly at".

An appointment booked within a window is not reminded for it: the confirmation was just
sent. A cancelled or moved one is no longer booked, so it is never reminded.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from notifications.models import NotificationKind
from notifications.occasions import Occasion, link_around_id

GROUP = "appointments"
REMINDER = NotificationKind.REMINDER.value


def day_and_month_names() -> dict[str, dict[str, list[str]]]:
    """The names of the days (Monday first) and months in each language a person can
    choose, as the confirmation sent at booking writes them (``words.day``)."""
    names: dict[str, dict[str, list[str]]] = {}
    for language in Language.values:
        with translation.override(language):
            names[language] = {
                "days": [str(WEEKDAYS[day]) for day in range(7)],
                "months": [str(MONTHS[month]) for month in range(1, 13)],
            }
    return names


def params() -> dict[str, object]:
    start, end = link_around_id("appointments:detail", "appointment_id")
    return {
        "tz": settings.TIME_ZONE, "appt_link_start": start, "appt_link_end": end,
        "names": json.dumps(day_and_month_names()), "fallback_language": Language.ENGLISH.value,
    }  # fmt: skip


# The time as GOV.UK writes it ("10am", "10:30am", "midday"), in local time.
_LOCAL = "(a.starts_at AT TIME ZONE %(tz)s)"
TIME_SQL = f"""
    CASE WHEN to_char({_LOCAL}, 'HH24:MI') = '12:00' THEN 'midday'
         WHEN extract(minute FROM {_LOCAL}) = 0 THEN lower(to_char({_LOCAL}, 'FMHH12am'))
         ELSE lower(to_char({_LOCAL}, 'FMHH12:MIam'))
    END
"""
# "Monday 7 December", with the names in the person's language (``c`` is their customer
# row); the numbers are the same in every language.
_NAMES = (
    "coalesce(%(names)s::jsonb -> c.preferred_language, %(names)s::jsonb -> %(fallback_language)s)"
)
DAY_SQL = f"""
    ({_NAMES} -> 'days' ->> (extract(isodow FROM {_LOCAL})::int - 1))
    || ' ' || extract(day FROM {_LOCAL})::int
    || ' ' || ({_NAMES} -> 'months' ->> (extract(month FROM {_LOCAL})::int - 1))
"""


def _reminder(name: str, title: object, *, key: str, before: str, not_within: str) -> Occasion:
    """Booked appointments starting between ``not_within`` and ``before`` from now, booked
    earlier than ``before`` ahead of their start."""
    return Occasion(
        name=name,
        kind=REMINDER,
        title=title,
        title_args=("day", "time"),
        params=params,
        due=f"""
        SELECT a.customer_id, 'appt:' || a.id || ':{key}' AS key,
               %(appt_link_start)s || a.id || %(appt_link_end)s AS link,
               {DAY_SQL} AS day, {TIME_SQL} AS time
        FROM appointments_appointment a
        JOIN accounts_customer c ON c.id = a.customer_id
        WHERE a.status = 'booked'
          AND a.starts_at > %(now)s + interval '{not_within}'
          AND a.starts_at <= %(now)s + interval '{before}'
          AND a.booked_at < a.starts_at - interval '{before}'
        """,  # noqa: S608 - constant SQL; values are parameters
    )


OCCASIONS = [
    _reminder(
        "appointment in 24 hours",
        _("Reminder: your appointment is on %(day)s at %(time)s"),
        key="24h",
        before="24 hours",
        not_within="2 hours",
    ),
    _reminder(
        "appointment in 2 hours",
        _("Your appointment starts soon, at %(time)s (%(day)s)"),
        key="2h",
        before="2 hours",
        not_within="0 seconds",
    ),
]
