"""Appointments' entry in the retention schedule (``accounts.retention``), registered in
``AppointmentsConfig.ready()``. The demo agency's period; see that module."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer
from accounts.retention import Period, Rule, add_closing_check, register


def register_appointments() -> None:
    register(
        Rule(
            key="appointments.appointment",
            model="appointments.Appointment",
            name=_("Your appointments, their notes and follow-ups"),
            keep=Period(years=2),
            clock="starts_at",
            after=_("after the appointment's time"),
        ),
    )
    add_closing_check(appointments_booked)


def appointments_booked(customer: Customer) -> list[str]:
    """An appointment still to come stops the account closing: cancel it first."""
    from appointments.models import Appointment, Status

    upcoming = Appointment.objects.filter(
        customer=customer, status=Status.BOOKED, starts_at__gte=timezone.now()
    ).values_list("starts_at", flat=True)
    return [
        gettext("You have an appointment on %(when)s. Cancel it first from your appointments.")
        % {"when": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")}
        for when in upcoming
    ]
