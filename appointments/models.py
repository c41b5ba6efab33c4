"""Appointments: staff say when a team is available (``Availability``), slots are generated
from it weeks ahead (``Slot``), people book a place in a slot (``Appointment``), and a
missed appointment gives the team something to follow up (``FollowUp``).

A slot counts its places taken (``booked``); the database refuses more than its capacity
(a check constraint), and the booking service takes a place with a conditional UPDATE on
the locked slot, so two people can never both get the last place.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from benefits.rules.base import Nation

#: Until how long before the start a person may book, move or cancel online.
CUTOFF = timedelta(hours=2)
#: How many weeks ahead people can book (slots are generated this far ahead).
BOOKING_WEEKS = 8
#: How many appointments to come a person may hold at once.
MAX_UPCOMING = 5


class Channel(models.TextChoices):
    OFFICE = "office", _("At an office")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")


class Purpose(models.TextChoices):
    CLAIM = "claim", _("Talk about my claim")
    APPLY = "apply", _("Help to apply for a benefit")
    WORK_COACH = "work_coach", _("A meeting with a work coach")
    OTHER = "other", _("Something else")


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    MISSED = "missed", _("Did not attend")
    RESCHEDULED = "rescheduled", _("Moved to another time")


class CancelReason(models.TextChoices):
    CANNOT_MAKE_IT = "cannot_make_it", _("I cannot make that time")
    NOT_NEEDED = "not_needed", _("I no longer need it")
    MISTAKE = "mistake", _("I booked it by mistake")
    OTHER = "other", _("Another reason")


class Weekday(models.IntegerChoices):
    """ISO weekdays, as PostgreSQL's ``extract(isodow …)`` numbers them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


NATIONS = [
    (Nation.ENGLAND_AND_WALES.value, _("England and Wales")),
    (Nation.SCOTLAND.value, _("Scotland")),
    (Nation.NORTHERN_IRELAND.value, _("Northern Ireland")),
]


class Office(models.Model):
    """A place people can come to (a jobcentre, a service centre)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.TextField(_("address"), max_length=500)
    postcode = models.CharField(_("postcode"), max_length=10)
    step_free = models.BooleanField(
        _("step-free access"), default=True,
        help_text=_("People can get in and around without steps."),
    )  # fmt: skip
    active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def one_line(self) -> str:
        return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())


class Availability(models.Model):
    """When a team can see people: on these weekdays, from ``start_time`` to ``end_time``
    (local time), in slots of ``slot_minutes`` for ``capacity`` people each, between two
    dates. Slots are generated from it (``appointments.generation``), bank holidays of its
    nation left out."""

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="availabilities",
        verbose_name=_("team"),
    )  # fmt: skip
    channel = models.CharField(_("how"), max_length=10, choices=Channel)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="availabilities",
        verbose_name=_("office"), help_text=_("For appointments at an office only."),
    )  # fmt: skip
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(choices=Weekday),
        verbose_name=_("weekdays"),
        default=list,
    )
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per appointment"), default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )  # fmt: skip
    capacity = models.PositiveSmallIntegerField(
        _("people per slot"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )  # fmt: skip
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    nation = models.CharField(
        _("bank holidays of"), max_length=20, choices=NATIONS,
        default=Nation.ENGLAND_AND_WALES.value,
    )  # fmt: skip
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        ordering = ["team__name", "channel", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="appt_availability_times"
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10, slot_minutes__lte=240),
                name="appt_availability_slot_minutes",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appt_availability_capacity"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="appt_availability_dates",
            ),
            # An office for appointments at an office, and only for them.
            models.CheckConstraint(
                condition=(Q(channel="office") & Q(office__isnull=False))
                | (~Q(channel="office") & Q(office__isnull=True)),
                name="appt_availability_office",
            ),
        ]

    def __str__(self) -> str:
        where = self.office.name if self.office_id and self.office else self.get_channel_display()
        return f"{self.team} · {where} · {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Slot(models.Model):
    """One time at which ``capacity`` people can be seen; ``booked`` places are taken."""

    availability = models.ForeignKey(
        Availability, on_delete=models.CASCADE, related_name="slots",
        verbose_name=_("availability"),
    )  # fmt: skip
    # Copied from the availability, so the booking page reads one table through one index.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    channel = models.CharField(_("how"), max_length=10, choices=Channel)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("office"),
    )  # fmt: skip
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("places taken"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["availability", "starts_at"], name="appt_slot_once_per_availability"
            ),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="appt_slot_not_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appt_slot_ends_after_start"
            ),
        ]
        indexes = [
            # The booking page: free places for one way of meeting (and office), in time
            # order. Only slots with a place free are in it, so full ones cost nothing.
            models.Index(
                fields=["channel", "office", "starts_at"],
                name="appt_slot_free",
                condition=Q(booked__lt=F("capacity")),
            ),
            models.Index(fields=["team", "starts_at"], name="appt_slot_team_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return self.capacity - self.booked


class Appointment(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="appointments",
        verbose_name=_("customer"),
    )  # fmt: skip
    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("slot")
    )
    # Copied from the slot (which never moves): the reminders, the person's list and the
    # team's day read them from this table alone.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="appointments",
        verbose_name=_("team"),
    )  # fmt: skip
    starts_at = models.DateTimeField(_("starts"))
    purpose = models.CharField(_("about"), max_length=20, choices=Purpose)
    claim = models.ForeignKey(
        "benefits.Claim", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="appointments", verbose_name=_("claim"),
    )  # fmt: skip
    # What the person needs.
    interpreter_language = models.CharField(_("interpreter for"), max_length=50, blank=True)
    step_free_access = models.BooleanField(_("needs step-free access"), default=False)
    callback_phone = models.CharField(_("number to call"), max_length=30, blank=True)
    other_needs = models.TextField(_("other needs"), max_length=500, blank=True)

    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.BOOKED)
    booked_at = models.DateTimeField(_("booked"), auto_now_add=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("booked by"),
    )  # fmt: skip
    moved_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_to",
        verbose_name=_("moved from"),
    )  # fmt: skip
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("cancelled by"),
    )  # fmt: skip
    cancel_reason = models.CharField(
        _("why cancelled"), max_length=20, choices=CancelReason, blank=True
    )
    # The outcome, recorded by a caseworker.
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("outcome recorded by"),
    )  # fmt: skip
    outcome_for_person = models.TextField(
        _("what happens next (the person sees this)"), max_length=1000, blank=True
    )
    outcome_note = models.TextField(_("notes for staff"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "pk"]
        constraints = [
            # A person holds a place in a slot once.
            models.UniqueConstraint(
                fields=["customer", "slot"],
                condition=Q(status="booked"),
                name="appt_one_place_per_person_and_slot",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "starts_at"], name="appt_customer_time"),
            # The reminders: only appointments still to happen are in it.
            models.Index(
                fields=["starts_at"], name="appt_booked_time", condition=Q(status="booked")
            ),
            models.Index(fields=["team", "starts_at"], name="appt_team_day"),
            models.Index(fields=["starts_at"], name="appt_starts_idx"),  # retention
        ]
        permissions = [
            ("work_appointments", _("Can record the outcome of appointments")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_booked(self) -> bool:
        return self.status == Status.BOOKED


class FollowUp(models.Model):
    """Work for a team after a missed appointment: get in touch, understand why, offer
    another time. Never a sanction: nothing about the person's money follows from it."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="follow_up",
        verbose_name=_("appointment"),
    )  # fmt: skip
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="follow_ups",
        verbose_name=_("team"),
    )  # fmt: skip
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("done by"),
    )  # fmt: skip
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["team", "due_on"], name="appt_followup_open", condition=Q(done_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.due_on}"
