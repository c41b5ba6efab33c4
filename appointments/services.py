"""Booking, moving and cancelling appointments, and recording what happened.

A place is taken on the slot's row, locked (``SELECT … FOR UPDATE``), with a conditional
``UPDATE … SET booked = booked + 1 WHERE booked < capacity``; the check constraint on the
slot refuses anything beyond its capacity whatever the code does, and a partial unique
constraint stops a person holding the same slot twice. Locks are taken in one order —
the person, then the appointment, then slots by id — so two requests never deadlock.

Every entry point is one durable transaction; the person is told through
``notifications.notify`` in it (the outbox delivers after the commit).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import versions
from accounts.models import Customer, User
from appointments import words
from appointments.models import (
    CUTOFF,
    MAX_UPCOMING,
    Appointment,
    CancelReason,
    FollowUp,
    Purpose,
    Slot,
    Status,
)
from benefits.claims.timeline import record_event
from benefits.models import Claim, EventKind
from benefits.rules.base import Nation, add_working_days
from notifications.models import NotificationKind
from notifications.services import notify

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
#: Working days a team has to follow up a missed appointment.
FOLLOW_UP_DAYS = 2
OUTCOMES = (Status.ATTENDED, Status.MISSED, Status.RESCHEDULED)


class BookingRefused(Exception):
    """The booking, move or cancellation cannot be done; the message says why, plainly."""


class SlotTaken(BookingRefused):
    def __init__(self) -> None:
        super().__init__(_("Sorry, that time has just been taken. Choose another time."))


class TooLate(BookingRefused):
    def __init__(self) -> None:
        super().__init__(
            _(
                "It is too close to the appointment to change it online. "
                "Phone us if you cannot come."
            )
        )


class TooMany(BookingRefused):
    def __init__(self) -> None:
        super().__init__(
            _("You already have %(n)d appointments booked. Cancel one to book another.")
            % {"n": MAX_UPCOMING}
        )


class NotBooked(BookingRefused):
    def __init__(self) -> None:
        super().__init__(_("This appointment is no longer booked."))


class OutcomeRefused(Exception):
    pass


@dataclass(frozen=True)
class Needs:
    """What the person needs at the appointment."""

    interpreter_language: str = ""
    step_free_access: bool = False
    callback_phone: str = ""
    other_needs: str = ""


def new_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"AP-{chars[:4]}-{chars[4:]}"


def _unique_reference() -> str:
    while True:
        reference = new_reference()
        if not Appointment.objects.filter(reference=reference).exists():
            return reference


def _link(appointment: Appointment) -> str:
    return reverse("appointments:detail", kwargs={"appointment_id": appointment.pk})


def _lock_person(customer: Customer) -> None:
    # One booking or move at a time per person, so the limit on appointments to come holds
    # when two tabs book at once. NO KEY: rows pointing at the customer are not held up.
    list(Customer.objects.select_for_update(no_key=True).filter(pk=customer.pk).values("pk"))


def _take_place(slot_id: int) -> Slot:
    """Lock the slot and take a place in it, or refuse: full, gone, or too soon."""
    slot = Slot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None:
        raise SlotTaken
    if slot.starts_at <= timezone.now() + CUTOFF:
        raise TooLate
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if taken != 1:
        raise SlotTaken
    slot.booked += 1
    return slot


def _free_place(slot_id: int) -> None:
    """Give the place back at once: the next person looking sees it free."""
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def free_place_of_deleted(*, sender: type, instance: Appointment, **kwargs: object) -> None:
    """``post_delete``: a booked appointment deleted with its person (a customer removed in
    the admin) gives its place back, as a cancellation would."""
    if instance.status == Status.BOOKED:
        _free_place(instance.slot_id)


def _book(
    *,
    customer: Customer,
    slot_id: int,
    purpose: str,
    claim: Claim | None,
    needs: Needs,
    by: User,
    moved_from: Appointment | None = None,
) -> Appointment:
    if purpose not in Purpose.values:
        raise ValueError(f"Not a purpose: {purpose!r}")
    if claim is not None and claim.customer_id != customer.pk:
        raise ValueError("An appointment can only be about the person's own claim.")
    slot = _take_place(slot_id)
    if Appointment.objects.filter(customer=customer, slot=slot, status=Status.BOOKED).exists():
        raise SlotTaken
    upcoming = Appointment.objects.filter(
        customer=customer, status=Status.BOOKED, starts_at__gt=timezone.now()
    )
    if moved_from is not None:
        upcoming = upcoming.exclude(pk=moved_from.pk)
    if upcoming.count() >= MAX_UPCOMING:
        raise TooMany
    return Appointment.objects.create(
        reference=_unique_reference(), customer=customer, slot=slot, team_id=slot.team_id,
        starts_at=slot.starts_at, purpose=purpose, claim=claim,
        interpreter_language=needs.interpreter_language.strip(),
        step_free_access=needs.step_free_access, callback_phone=needs.callback_phone.strip(),
        other_needs=needs.other_needs.strip(), booked_by=by, moved_from=moved_from,
    )  # fmt: skip


@transaction.atomic(durable=True)
def book_appointment(
    *,
    customer: Customer,
    slot_id: int,
    purpose: str,
    by: User,
    claim: Claim | None = None,
    needs: Needs | None = None,
) -> Appointment:
    """Book a place in the slot for the person and tell them. Raises ``BookingRefused``
    (the slot is full or gone, it starts within the cut-off, they hold too many)."""
    _lock_person(customer)
    appointment = _book(
        customer=customer, slot_id=slot_id, purpose=purpose, claim=claim,
        needs=needs or Needs(), by=by,
    )  # fmt: skip
    notify(
        customer=customer, kind=NotificationKind.STATUS,
        title=gettext_lazy("Your appointment is booked for %(when)s"),
        params={"when": _when_for(customer, appointment)}, link=_link(appointment),
    )  # fmt: skip
    return appointment


def _lock_booked(appointment: Appointment, *, by: User) -> Appointment:
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=appointment.pk)
        .first()
    )
    if locked is None or locked.status != Status.BOOKED:
        raise NotBooked
    if not by.is_staff and locked.starts_at <= timezone.now() + CUTOFF:
        raise TooLate
    return locked


@transaction.atomic(durable=True)
def move_appointment(*, appointment: Appointment, slot_id: int, by: User) -> Appointment:
    """Book the new time and give up the old one, together: the old place is free at once.
    The new appointment keeps what the old one was about and the person's needs."""
    _lock_person(appointment.customer)
    old = _lock_booked(appointment, by=by)
    if slot_id == old.slot_id:
        raise BookingRefused(_("That is the time you already have. Choose another time."))
    # Both slots locked in id order, so a move the other way round cannot deadlock.
    list(Slot.objects.select_for_update().filter(pk__in=[slot_id, old.slot_id]).order_by("pk"))
    new = _book(
        customer=old.customer, slot_id=slot_id, purpose=old.purpose, claim=old.claim,
        needs=Needs(
            interpreter_language=old.interpreter_language,
            step_free_access=old.step_free_access, callback_phone=old.callback_phone,
            other_needs=old.other_needs,
        ),
        by=by, moved_from=old,
    )  # fmt: skip
    old.status = Status.RESCHEDULED
    old.cancelled_at = timezone.now()
    old.cancelled_by = by
    old.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    _free_place(old.slot_id)
    notify(
        customer=old.customer, kind=NotificationKind.STATUS,
        title=gettext_lazy("Your appointment has moved to %(when)s"),
        params={"when": _when_for(old.customer, new)}, link=_link(new),
    )  # fmt: skip
    return new


@transaction.atomic(durable=True)
def cancel_appointment(*, appointment: Appointment, by: User, reason: str = "") -> Appointment:
    """Cancel and free the place at once. The person may cancel until the cut-off; staff
    at any time before it happens."""
    if reason and reason not in CancelReason.values:
        raise ValueError(f"Not a reason: {reason!r}")
    locked = _lock_booked(appointment, by=by)
    locked.status = Status.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = by
    locked.cancel_reason = reason
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    _free_place(locked.slot_id)
    notify(
        customer=locked.customer, kind=NotificationKind.STATUS,
        title=gettext_lazy("Your appointment on %(when)s is cancelled"),
        params={"when": _when_for(locked.customer, locked)}, link=_link(locked),
    )  # fmt: skip
    return locked


def _when_for(customer: Customer, appointment: Appointment) -> str:
    with translation.override(customer.preferred_language or None):
        return words.when(appointment.starts_at)


# --- What happened ------------------------------------------------------------------------


def _timeline_text(appointment: Appointment, outcome: str) -> str:
    params = {"when": words.when(appointment.starts_at)}
    if outcome == Status.ATTENDED:
        text = _("Appointment on %(when)s: you came to it.") % params
    elif outcome == Status.MISSED:
        text = (
            _(
                "Appointment on %(when)s: we missed you. We will get in touch to find "
                "another time. Missing it does not change your payments."
            )
            % params
        )
    else:
        text = _("Appointment on %(when)s: we need to move it to another time.") % params
    if appointment.outcome_for_person:
        text += " " + appointment.outcome_for_person
    return text


@transaction.atomic(durable=True)
def record_outcome(
    *, appointment: Appointment, outcome: str, by: User, note: str = "", for_person: str = ""
) -> Appointment:
    """What happened: attended, did not attend, or to be rescheduled (by us).

    On the person's appointments page always; on their claim's timeline when it was about
    a claim. A missed appointment gives the team a follow-up to do and tells the person
    kindly how to book again: it never stops or cuts a payment.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"Not an outcome: {outcome!r}")
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("customer", "claim", "slot__availability")
        .filter(pk=appointment.pk)
        .first()
    )
    if locked is None or locked.status != Status.BOOKED:
        raise OutcomeRefused(_("The outcome of this appointment is already recorded."))
    now = timezone.now()
    if outcome in (Status.ATTENDED, Status.MISSED) and locked.starts_at > now:
        raise OutcomeRefused(_("This appointment has not started yet."))
    locked.status = outcome
    locked.outcome_at = now
    locked.outcome_by = by
    locked.outcome_note = note.strip()
    locked.outcome_for_person = for_person.strip()
    locked.save(
        update_fields=["status", "outcome_at", "outcome_by", "outcome_note", "outcome_for_person"]
    )
    customer = locked.customer
    if outcome == Status.RESCHEDULED and locked.starts_at > now:
        _free_place(locked.slot_id)
    if locked.claim is not None:
        with translation.override(customer.preferred_language or None):
            reason = _timeline_text(locked, outcome)
        record_event(claim=locked.claim, by=by, kind=EventKind.INFORMATION, reason=reason)
    when = _when_for(customer, locked)
    if outcome == Status.MISSED:
        FollowUp.objects.create(
            appointment=locked, team_id=locked.team_id,
            due_on=add_working_days(
                timezone.localdate(now), FOLLOW_UP_DAYS, Nation(locked.slot.availability.nation)
            ),
        )  # fmt: skip
        notify(
            customer=customer, kind=NotificationKind.STATUS,
            title=gettext_lazy("We missed you at your appointment on %(when)s: book another time"),
            params={"when": when}, link=reverse("appointments:book"),
        )  # fmt: skip
    elif outcome == Status.RESCHEDULED:
        notify(
            customer=customer, kind=NotificationKind.STATUS,
            title=gettext_lazy(
                "We need to move your appointment on %(when)s: please book another time"
            ),
            params={"when": when}, link=reverse("appointments:book"),
        )  # fmt: skip
    else:
        versions.bump(user_id=customer.user_id)
    return locked


@transaction.atomic(durable=True)
def complete_follow_up(*, follow_up: FollowUp, by: User, note: str = "") -> bool:
    """Mark a follow-up done, once. Returns False if someone already had."""
    done = FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=by, note=note.strip()[:2000]
    )
    return done == 1
