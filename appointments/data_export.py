"""This app's section of "Download my data" (``representatives.export.registry``).

The person's appointments: when, how, where, about what, what they asked for, and the
outcome they were told. Never the notes for staff, the follow-up work for the team, nor
which staff member booked, moved or recorded anything (a role only).
"""

from __future__ import annotations

from accounts.models import Customer
from appointments.models import Appointment
from representatives.export.registry import Collected
from representatives.export.roles import Roles


def collect_appointments(customer: Customer) -> Collected:
    """One query (with the slot, office, team and claim), one more for the roles."""
    rows = list(
        Appointment.objects.filter(customer=customer)
        .select_related("slot__office", "team", "claim")
        .order_by("starts_at", "pk")
    )
    roles = Roles(customer).load(
        [a.booked_by_id for a in rows]
        + [a.cancelled_by_id for a in rows]
        + [a.outcome_by_id for a in rows]
    )
    references = {a.pk: a.reference for a in rows}  # a move is between the person's own
    records = []
    for a in rows:
        office = a.slot.office
        records.append(
            {
                "id": a.pk,
                "reference": a.reference,
                "starts_at": a.starts_at,
                "ends_at": a.slot.ends_at,
                "channel": a.slot.channel,
                "office": (
                    {"name": office.name, "address": office.address, "postcode": office.postcode}
                    if office
                    else None
                ),
                "team": a.team.name,
                "purpose": a.purpose,
                "claim_reference": a.claim.reference if a.claim else None,
                "needs": {
                    "interpreter_language": a.interpreter_language,
                    "step_free_access": a.step_free_access,
                    "callback_phone": a.callback_phone,
                    "other_needs": a.other_needs,
                },
                "status": a.status,
                "booked_at": a.booked_at,
                "booked_by": roles.of(a.booked_by_id),
                "moved_from_reference": references.get(a.moved_from_id or 0),
                "cancelled_at": a.cancelled_at,
                "cancelled_by": roles.of(a.cancelled_by_id) if a.cancelled_at else None,
                "cancel_reason": a.cancel_reason,
                "outcome_at": a.outcome_at,
                "outcome_by": roles.of(a.outcome_by_id) if a.outcome_at else None,
                "outcome": a.outcome_for_person,
            }
        )
    return Collected(records)
