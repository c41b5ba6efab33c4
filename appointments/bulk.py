"""Many slots and appointments at once, set-based, for tests and benchmarks (never demo
data: ``seed_demo`` has its own). Each function is one SQL statement, so a million slots
or a hundred thousand appointments take seconds, and they go through the same constraints
as the services' rows (a place taken counts on its slot)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from appointments.models import Availability


def seed_slots(
    *, availability: Availability, count: int, first_start: datetime, every: timedelta
) -> int:
    """``count`` slots of ``availability``, the first at ``first_start``, then one each
    ``every`` (whatever its weekdays and hours: this is for volume). Returns how many were
    new."""
    params: dict[str, Any] = {
        "id": availability.pk, "count": count, "first": first_start, "every": every,
        "now": timezone.now(),
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO appointments_slot
                (availability_id, team_id, channel, office_id, starts_at, ends_at, capacity,
                 booked, created_at)
            SELECT a.id, a.team_id, a.channel, a.office_id, %(first)s + i * %(every)s,
                   %(first)s + i * %(every)s + make_interval(mins => a.slot_minutes),
                   a.capacity, 0, %(now)s
            FROM appointments_availability a CROSS JOIN generate_series(0, %(count)s - 1) AS i
            WHERE a.id = %(id)s
            ON CONFLICT (availability_id, starts_at) DO NOTHING
            """,
            params,
        )
        return cursor.rowcount


def seed_appointments(
    *,
    availability: Availability,
    customer_ids: Sequence[int],
    booked_at: datetime | None = None,
    purpose: str = "other",
) -> int:
    """Book one place for each customer in ``customer_ids``, in the availability's free
    slots in time order (the first customer gets the first free slot, …), as booked
    ``booked_at`` (default: now). Stops when the slots or the customers run out. Returns
    how many were booked."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH s AS (
                SELECT id, team_id, starts_at, row_number() OVER (ORDER BY starts_at, id) AS rn
                FROM appointments_slot
                WHERE availability_id = %(id)s AND booked < capacity
            ), c AS (
                SELECT id, row_number() OVER (ORDER BY ord) AS rn
                FROM unnest(%(customers)s::bigint[]) WITH ORDINALITY AS u(id, ord)
            ), booked AS (
                INSERT INTO appointments_appointment
                    (reference, customer_id, slot_id, team_id, starts_at, purpose,
                     interpreter_language, step_free_access, callback_phone, other_needs,
                     status, booked_at, cancel_reason, outcome_for_person, outcome_note)
                SELECT 'B' || s.id || '.' || c.id, c.id, s.id, s.team_id, s.starts_at,
                       %(purpose)s, '', false, '', '', 'booked', %(booked_at)s, '', '', ''
                FROM s JOIN c ON c.rn = s.rn
                RETURNING slot_id
            )
            UPDATE appointments_slot SET booked = booked + 1
            WHERE id IN (SELECT slot_id FROM booked)
            """,
            {"id": availability.pk, "customers": list(customer_ids), "purpose": purpose,
             "booked_at": booked_at or timezone.now()},
        )  # fmt: skip
        return cursor.rowcount
