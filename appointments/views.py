"""The person's appointments: the list, booking (what about → how → when → needs → check),
an appointment's page with its calendar file, moving and cancelling.

The booking's answers live in the session until the person confirms (nothing personal in
URLs); only a valid answer changes them. The week shown is a GET parameter.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.acting import Scope, representable, whose
from accounts.models import User
from accounts.selectors import get_customer_for_request
from appointments import calendar, selectors, services
from appointments.forms import (
    CancelForm,
    ConfirmForm,
    NeedsForm,
    PurposeForm,
    TimeForm,
    WayForm,
    WeekForm,
)
from appointments.models import CUTOFF, MAX_UPCOMING, Appointment, Channel, Purpose, Slot, Status
from benefits.claims import selectors as claim_selectors
from benefits.models import Claim, ClaimStatus

BOOKING = "appointment_booking"  # the session key of the booking in progress


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is @login_required


def _booking(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(BOOKING) or {})


def _save(request: HttpRequest, booking: dict[str, Any]) -> None:
    request.session[BOOKING] = booking


def _claims(customer) -> list[Claim]:
    """Claims the person can book an appointment about: any they have sent."""
    return [
        c
        for c in claim_selectors.claims_for_customer(customer=customer)
        if c.status != ClaimStatus.DRAFT
    ]


def _way(code: str) -> tuple[str, int | None]:
    if code.startswith("office:"):
        return Channel.OFFICE.value, int(code.removeprefix("office:"))
    return code, None


@representable(Scope.TALK)
@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    mine = selectors.appointments_for_customer(customer=customer, now=timezone.now())
    return render(
        request, "appointments/index.html",
        {"upcoming": mine.upcoming, "earlier": mine.earlier, "full": len(mine.upcoming) >= MAX_UPCOMING},
    )  # fmt: skip


# --- Booking ---------------------------------------------------------------------------------


@representable(Scope.TALK)
@never_cache
@login_required
def book(request: HttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    if selectors.upcoming_count(customer=customer, now=timezone.now()) >= MAX_UPCOMING:
        messages.error(request, str(services.TooMany()))
        return redirect("appointments:index")
    booking = _booking(request)
    claims = _claims(customer)
    initial = booking.get("purpose")
    if initial == Purpose.CLAIM and booking.get("claim_id"):
        initial = f"claim:{booking['claim_id']}"
    form = PurposeForm(
        request.POST if request.method == "POST" else None, claims=claims,
        initial={"purpose": initial},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        purpose, claim_id = form.purpose_and_claim()
        _save(request, {**booking, "purpose": purpose, "claim_id": claim_id})
        return redirect("appointments:book_how")
    return render(request, "appointments/book_purpose.html", {"form": form})


@representable(Scope.TALK)
@never_cache
@login_required
def book_how(request: HttpRequest) -> HttpResponse:
    get_customer_for_request(request)
    booking = _booking(request)
    if "purpose" not in booking:
        return redirect("appointments:book")
    ways = selectors.ways_to_meet(today=timezone.localdate())
    form = WayForm(
        request.POST if request.method == "POST" else None, ways=ways,
        initial={"way": booking.get("way")},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        way = form.cleaned_data["way"]
        if way != booking.get("way"):
            booking.pop("slot_id", None)  # another way to meet: choose the time again
        _save(request, {**booking, "way": way})
        return redirect("appointments:book_time")
    return render(request, "appointments/book_how.html", {"form": form, "ways": ways})


def _times_page(
    request: HttpRequest, *, channel: str, office_id: int | None, chosen: int | None
) -> tuple[selectors.Week, list[Slot], TimeForm]:
    week = selectors.week(WeekForm(request.GET).number(), today=timezone.localdate())
    slots = selectors.free_times(
        channel=channel, office_id=office_id, week=week, now=timezone.now()
    )
    form = TimeForm(
        request.POST if request.method == "POST" else None, slots=slots,
        initial={"slot": str(chosen) if chosen else None},
    )  # fmt: skip
    return week, slots, form


def _days(form: TimeForm, slots: list[Slot], week: selectors.Week) -> list[tuple[Any, list]]:
    """The week's days, each with its times as radio buttons (in the form's order)."""
    by_day: dict[Any, list] = {day: [] for day in week.days}
    for option, slot in zip(form["slot"], slots, strict=True):
        by_day[timezone.localtime(slot.starts_at).date()].append(option)
    return list(by_day.items())


@representable(Scope.TALK)
@never_cache
@login_required
def book_time(request: HttpRequest) -> HttpResponse:
    get_customer_for_request(request)
    booking = _booking(request)
    if "way" not in booking:
        return redirect("appointments:book_how" if "purpose" in booking else "appointments:book")
    channel, office_id = _way(booking["way"])
    week, slots, form = _times_page(
        request, channel=channel, office_id=office_id, chosen=booking.get("slot_id")
    )
    if request.method == "POST" and form.is_valid():
        _save(request, {**booking, "slot_id": form.slot_id()})
        return redirect("appointments:book_needs")
    return render(request, "appointments/book_time.html", {
        "form": form, "week": week, "days": _days(form, slots, week),
        "office": selectors.office_for_booking(office_id) if office_id else None,
        "channel": channel, "action": request.get_full_path(),
        "back": reverse("appointments:book_how"),
    })  # fmt: skip


@representable(Scope.TALK)
@never_cache
@login_required
def book_needs(request: HttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    booking = _booking(request)
    if "slot_id" not in booking:
        return redirect("appointments:book_time" if "way" in booking else "appointments:book")
    channel, _office_id = _way(booking["way"])
    initial = booking.get("needs") or {"callback_phone": customer.phone}
    form = NeedsForm(
        request.POST if request.method == "POST" else None, channel=channel, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        _save(request, {**booking, "needs": form.needs()})
        return redirect("appointments:book_check")
    return render(request, "appointments/book_needs.html", {"form": form})


@representable(Scope.TALK)
@never_cache
@login_required
def book_check(request: HttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    booking = _booking(request)
    if "needs" not in booking:
        return redirect("appointments:book_needs" if "slot_id" in booking else "appointments:book")
    channel, office_id = _way(booking["way"])
    slots = Slot.objects.select_related("office").filter(pk=booking["slot_id"], channel=channel)
    slot = (
        slots.filter(office_id=office_id) if office_id else slots.filter(office__isnull=True)
    ).first()
    claim = next((c for c in _claims(customer) if c.pk == booking.get("claim_id")), None)
    if slot is None or (booking.get("claim_id") and claim is None):
        messages.error(request, _("Sorry, that time is no longer available. Choose another time."))
        booking.pop("slot_id", None)
        _save(request, booking)
        return redirect("appointments:book_time")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.book_appointment(
                customer=customer, slot_id=slot.pk, purpose=booking["purpose"], claim=claim,
                needs=services.Needs(**booking["needs"]), by=_user(request),
            )  # fmt: skip
        except services.TooMany as refused:
            messages.error(request, str(refused))
            return redirect("appointments:index")
        except services.BookingRefused as refused:
            messages.error(request, str(refused))
            booking.pop("slot_id", None)
            _save(request, booking)
            return redirect("appointments:book_time")
        request.session.pop(BOOKING, None)
        messages.success(request, _("Your appointment is booked. We have sent you a confirmation."))
        return redirect("appointments:detail", appointment_id=appointment.pk)
    return render(request, "appointments/book_check.html", {
        "form": form, "slot": slot, "claim": claim, "purpose": Purpose(booking["purpose"]),
        "needs": booking["needs"], "channel": Channel(channel),
    })  # fmt: skip


# --- One appointment ----------------------------------------------------------------------


def _page_url(appointment: Appointment) -> str:
    path = reverse("appointments:detail", kwargs={"appointment_id": appointment.pk})
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _changeable(appointment: Appointment) -> bool:
    return appointment.is_booked and appointment.starts_at > timezone.now() + CUTOFF


def _not_changeable(request: HttpRequest, appointment: Appointment) -> HttpResponse | None:
    """Back to the appointment's page, saying why, when it can no longer be moved or
    cancelled online; None when it can."""
    if _changeable(appointment):
        return None
    messages.error(
        request, str(services.TooLate() if appointment.is_booked else services.NotBooked())
    )
    return redirect("appointments:detail", appointment_id=appointment.pk)


@representable(Scope.TALK)
@never_cache
@login_required
@require_GET
def detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_customer(
        whose=whose(request), appointment_id=appointment_id
    )
    upcoming = appointment.is_booked and appointment.starts_at > timezone.now()
    return render(request, "appointments/detail.html", {
        "appointment": appointment, "slot": appointment.slot, "upcoming": upcoming,
        "changeable": _changeable(appointment),
        "google_link": calendar.google_link(appointment, page_url=_page_url(appointment))
        if upcoming else "",
        "outcome": appointment.status in (Status.ATTENDED, Status.MISSED, Status.RESCHEDULED)
        and appointment.outcome_at is not None,
    })  # fmt: skip


@representable(Scope.TALK)
@never_cache
@login_required
@require_GET
def ics(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_customer(
        whose=whose(request), appointment_id=appointment_id
    )
    response = HttpResponse(
        calendar.ics(appointment, page_url=_page_url(appointment)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{appointment.reference}.ics"'
    return response


@representable(Scope.TALK)
@never_cache
@login_required
def move(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_customer(
        whose=whose(request), appointment_id=appointment_id
    )
    if refused := _not_changeable(request, appointment):
        return refused
    slot = appointment.slot
    week, slots, form = _times_page(
        request, channel=slot.channel, office_id=slot.office_id, chosen=None
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.move_appointment(
                appointment=appointment, slot_id=form.slot_id(), by=_user(request)
            )
        except services.BookingRefused as refused:
            messages.error(request, str(refused))
            return redirect(request.get_full_path())
        messages.success(request, _("Your appointment has moved. We have sent you a confirmation."))
        return redirect("appointments:detail", appointment_id=moved.pk)
    return render(request, "appointments/move.html", {
        "appointment": appointment, "form": form, "week": week,
        "days": _days(form, slots, week), "office": slot.office, "channel": slot.channel,
        "action": request.get_full_path(),
        "back": reverse("appointments:detail", kwargs={"appointment_id": appointment.pk}),
    })  # fmt: skip


@representable(Scope.TALK)
@never_cache
@login_required
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment_for_customer(
        whose=whose(request), appointment_id=appointment_id
    )
    if refused := _not_changeable(request, appointment):
        return refused
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_appointment(
                appointment=appointment, by=_user(request), reason=form.cleaned_data["reason"]
            )
        except services.BookingRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Your appointment is cancelled."))
        return redirect("appointments:detail", appointment_id=appointment.pk)
    return render(request, "appointments/cancel.html", {"appointment": appointment, "form": form})
