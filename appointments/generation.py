"""Slots from availability: one INSERT … SELECT over ``generate_series``.

For each active availability, every day in the range that is one of its weekdays and not a
bank holiday of its nation, every start time from ``start_time`` while a whole slot fits
before ``end_time``: a slot, in local time (Europe/London, so the clocks changing moves
nothing people see). Slots already there are left alone (``ON CONFLICT DO NOTHING`` on the
availability and start), so generating again, or two runs at once, makes each slot once.
Slots are never made in the past.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from benefits.rules.base import Nation, is_bank_holiday

GENERATE_SQL = """
INSERT INTO appointments_slot
    (availability_id, team_id, channel, office_id, starts_at, ends_at, capacity, booked,
     created_at)
SELECT a.id, a.team_id, a.channel, a.office_id,
       (d.day + a.start_time + make_interval(mins => n * a.slot_minutes)) AT TIME ZONE %(tz)s,
       (d.day + a.start_time + make_interval(mins => (n + 1) * a.slot_minutes))
           AT TIME ZONE %(tz)s,
       a.capacity, 0, %(now)s
FROM appointments_availability a
CROSS JOIN LATERAL (
    SELECT g::date AS day
    FROM generate_series(greatest(a.starts_on, %(first)s::date),
                         least(coalesce(a.ends_on, %(last)s::date), %(last)s::date),
                         interval '1 day') AS g
) AS d
CROSS JOIN LATERAL generate_series(
    0, (extract(epoch FROM a.end_time - a.start_time)::int / 60) / a.slot_minutes - 1
) AS n
WHERE a.active
  AND (%(all)s OR a.id = ANY(%(ids)s))
  AND extract(isodow FROM d.day)::int = ANY(a.weekdays)
  AND NOT d.day = ANY(CASE a.nation
                        WHEN 'scotland' THEN %(holidays_scotland)s::date[]
                        WHEN 'northern_ireland' THEN %(holidays_northern_ireland)s::date[]
                        ELSE %(holidays_england_and_wales)s::date[]
                      END)
  AND (d.day + a.start_time + make_interval(mins => n * a.slot_minutes)) AT TIME ZONE %(tz)s
      > %(now)s
ON CONFLICT (availability_id, starts_at) DO NOTHING
"""


def bank_holidays(first: date, last: date) -> dict[str, list[date]]:
    """Each nation's bank holidays from ``first`` to ``last`` inclusive."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {
        f"holidays_{nation.value}": [day for day in days if is_bank_holiday(day, nation)]
        for nation in Nation
    }


@transaction.atomic(durable=True)
def generate_slots(
    *, weeks: int, availability_ids: Sequence[int] | None = None, start: date | None = None
) -> int:
    """Make the slots of the next ``weeks`` weeks from today (or ``start``), for every
    active availability or those in ``availability_ids``. Returns how many were new."""
    if weeks < 1:
        raise ValueError("Generate at least one week.")
    first = start or timezone.localdate()
    last = first + timedelta(days=7 * weeks - 1)
    params: dict[str, Any] = {
        "tz": settings.TIME_ZONE,
        "now": timezone.now(),
        "first": first,
        "last": last,
        "all": availability_ids is None,
        "ids": list(availability_ids or []),
        **bank_holidays(first, last),
    }
    with connection.cursor() as cursor:
        cursor.execute(GENERATE_SQL, params)
        return cursor.rowcount
