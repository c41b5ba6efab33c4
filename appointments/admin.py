"""Appointments in the admin: offices and availability (team leaders), slots, the
caseworker's day with the outcome form, and follow-ups after missed appointments.

Every page showing a person's appointment records the look (``RecordsAccess``, or
``record_list`` on the day's page), so it reaches their "Who has looked at your record".
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import RecordsAccess
from accounts.models import AccessEvent, Team
from appointments import generation, selectors, services
from appointments.forms import DayForm, OutcomeForm
from appointments.models import (
    BOOKING_WEEKS,
    Appointment,
    Availability,
    FollowUp,
    Office,
    Slot,
    Status,
    Weekday,
)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "postcode", "step_free", "active")
    list_filter = ("active", "step_free")
    search_fields = ("name", "postcode")


class AvailabilityForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("weekdays"), choices=Weekday.choices, coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = Availability
        fields = (
            "team", "channel", "office", "weekdays", "start_time", "end_time", "slot_minutes",
            "capacity", "starts_on", "ends_on", "nation", "active",
        )  # fmt: skip


class GenerateForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Weeks ahead"), min_value=1, max_value=52, initial=BOOKING_WEEKS
    )


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    """When teams can see people. Slots are made from it by the action below, by the
    nightly job and by ``manage.py generate_slots``."""

    form = AvailabilityForm
    list_display = (
        "team", "channel", "office", "days", "start_time", "end_time", "slot_minutes",
        "capacity", "starts_on", "ends_on", "active",
    )  # fmt: skip
    list_filter = ("active", "channel", "team", "office")
    list_select_related = ("team", "office")
    actions = ["generate"]

    @admin.display(description=_("weekdays"))
    def days(self, obj: Availability) -> str:
        return ", ".join(str(Weekday(d).label)[:3] for d in sorted(obj.weekdays))

    @admin.action(description=_("Generate slots for the next weeks"), permissions=["change"])
    def generate(self, request, queryset):
        form = GenerateForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            made = generation.generate_slots(
                weeks=form.cleaned_data["weeks"],
                availability_ids=list(queryset.values_list("pk", flat=True)),
            )
            self.message_user(
                request,
                ngettext("%(n)d new slot made.", "%(n)d new slots made.", made) % {"n": made},
            )
            return None
        return TemplateResponse(
            request, "admin/appointments/generate.html",
            {**self.admin_site.each_context(request), "title": _("Generate slots"),
             "form": form, "rows": list(queryset.select_related("team", "office")),
             "opts": self.model._meta,
             "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME},
        )  # fmt: skip


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """Slots, as generated. Only the number of places can change (never below those
    taken: the database refuses it); people's bookings are on the appointments."""

    list_display = ("starts_at", "ends_at", "team", "channel", "office", "booked", "capacity")
    list_filter = ("channel", "team", "office")
    list_select_related = ("team", "office")
    date_hierarchy = "starts_at"
    readonly_fields = (
        "availability", "team", "channel", "office", "starts_at", "ends_at", "booked",
    )  # fmt: skip
    fields = (*readonly_fields, "capacity")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("to_come", _("To come")),
            ("no_outcome", _("Past, no outcome yet")),
            *Status.choices,
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "to_come":
            return queryset.filter(status=Status.BOOKED, starts_at__gte=now)
        if value == "no_outcome":
            return queryset.filter(status=Status.BOOKED, starts_at__lt=now)
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


@admin.register(Appointment)
class AppointmentAdmin(RecordsAccess, admin.ModelAdmin):
    """People's appointments. Nothing is edited as a form: the outcome form on the page
    and the "my day" view call the services."""

    access_what = AccessEvent.What.APPOINTMENT
    access_list_name = _("appointments")

    list_display = (
        "reference",
        "starts_at",
        "customer_reference",
        "team",
        "how",
        "purpose",
        "status",
    )
    list_filter = (StatusFilter, "team", "slot__channel", "purpose")
    list_select_related = ("customer", "team", "slot__office")
    search_fields = ("reference", "customer__reference", "customer__legal_family_name")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)
    show_full_result_count = False
    readonly_fields = (
        "reference", "customer", "starts_at", "slot", "team", "purpose", "claim",
        "interpreter_language", "step_free_access", "callback_phone", "other_needs", "status",
        "booked_at", "booked_by", "moved_from", "cancelled_at", "cancelled_by", "cancel_reason",
        "outcome_at", "outcome_by", "outcome_for_person", "outcome_note",
    )  # fmt: skip
    fields = readonly_fields
    change_form_template = "admin/appointments/appointment/change_form.html"
    change_list_template = "admin/appointments/appointment/change_list.html"

    @admin.display(description=_("customer"), ordering="customer__reference")
    def customer_reference(self, obj: Appointment) -> str:
        return obj.customer.reference

    @admin.display(description=_("how"))
    def how(self, obj: Appointment) -> str:
        slot = obj.slot
        return slot.office.name if slot.office else str(slot.get_channel_display())

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # read-only page; the outcome has its own permission and view

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("my-day/", view(self.my_day_view), name="appointments_appointment_my_day"),
            path(
                "<int:appointment_id>/outcome/",
                view(self.outcome_view),
                name="appointments_appointment_outcome",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id:
            extra_context["outcome_form"] = OutcomeForm(prefix="outcome")
            extra_context["can_record"] = request.user.has_perm("appointments.work_appointments")
        return super().changeform_view(request, object_id, form_url, extra_context)

    def my_day_view(self, request):
        """The caseworker's day: their teams' appointments on a date (today by default)."""
        if not request.user.has_perm("appointments.view_appointment"):
            raise PermissionDenied
        form = DayForm(request.GET)
        day = form.chosen(timezone.localdate())
        teams = list(Team.objects.filter(members=request.user, active=True))
        everyone = not teams
        if everyone:  # staff in no team (an operator, a team leader covering): every team
            teams = list(Team.objects.filter(active=True))
        rows = list(selectors.day_for_staff(team_ids=[t.pk for t in teams], day=day))
        self.record_rows_access(request, rows)
        return TemplateResponse(
            request, "admin/appointments/my_day.html",
            {**self.admin_site.each_context(request), "title": _("Appointments on %(day)s") % {"day": date_format(day, "l j F Y")},
             "rows": rows, "day": day, "teams": teams, "everyone": everyone, "form": form,
             "previous": day - timedelta(days=1), "next": day + timedelta(days=1),
             "opts": self.model._meta, "now": timezone.now()},
        )  # fmt: skip

    def outcome_view(self, request, appointment_id: int):
        if request.method != "POST" or not request.user.has_perm("appointments.work_appointments"):
            raise PermissionDenied
        appointment = get_object_or_404(Appointment, pk=appointment_id)
        form = OutcomeForm(request.POST, prefix="outcome")
        back = reverse("admin:appointments_appointment_change", args=[appointment.pk])
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                self.message_user(
                    request,
                    f"{label}: {' '.join(str(e) for e in errors)}".strip(": "),
                    messages.ERROR,
                )
            return redirect(back)
        try:
            services.record_outcome(
                appointment=appointment, outcome=form.cleaned_data["outcome"], by=request.user,
                note=form.cleaned_data["note"], for_person=form.cleaned_data["for_person"],
            )  # fmt: skip
        except services.OutcomeRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, _("The outcome is recorded."), messages.SUCCESS)
        return redirect(back)


class OpenFilter(admin.SimpleListFilter):
    title = _("done")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("To do")), ("no", _("Done"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(done_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(done_at__isnull=False)
        return queryset


@admin.register(FollowUp)
class FollowUpAdmin(RecordsAccess, admin.ModelAdmin):
    """Caseworkers' work after a missed appointment: get in touch, offer another time.
    Never a sanction."""

    access_customer = "appointment__customer"
    access_list_name = _("follow-ups after missed appointments")

    list_display = (
        "appointment_reference",
        "customer_reference",
        "team",
        "due_on",
        "overdue",
        "done_at",
    )
    list_filter = (OpenFilter, "team")
    list_select_related = ("appointment__customer", "team")
    search_fields = ("appointment__reference", "appointment__customer__reference")
    ordering = ("done_at", "due_on")
    readonly_fields = ("appointment", "team", "due_on", "created_at", "done_at", "done_by", "note")
    fields = readonly_fields
    actions = ["mark_done"]

    @admin.display(description=_("appointment"), ordering="appointment__reference")
    def appointment_reference(self, obj: FollowUp) -> str:
        return obj.appointment.reference

    @admin.display(description=_("customer"), ordering="appointment__customer__reference")
    def customer_reference(self, obj: FollowUp) -> str:
        return obj.appointment.customer.reference

    @admin.display(description=_("overdue"))
    def overdue(self, obj: FollowUp) -> str:
        if obj.done_at is None and obj.due_on < timezone.localdate():
            return format_html("<strong>{}</strong>", _("overdue"))
        return ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Mark the selected follow-ups as done"), permissions=["change"])
    def mark_done(self, request, queryset) -> None:
        done = sum(
            services.complete_follow_up(follow_up=f, by=request.user)
            for f in queryset.filter(done_at__isnull=True)
        )
        self.message_user(
            request,
            ngettext("%(n)d follow-up done.", "%(n)d follow-ups done.", done) % {"n": done},
        )
