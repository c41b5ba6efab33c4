"""Staff-facing admin for life events (content staff edit) and people's journeys (read-only).

Life events are content: staff edit them here, and the form checks the JSON has the shapes
the journey pages and services read. Journeys, tasks, goals and confirmed changes belong
to customers and are written by ``journeys.services``, so staff only look at them here;
opening one is recorded in the access log as a look at the customer's record.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.access import RecordsAccess
from accounts.models import FactKind
from journeys.models import ChangeReport, Goal, GoalStep, Journey, LifeEvent, Task

QUESTION_KINDS = ("yes_no", "money", "count")
# The household paths a journey's answers may set (benefits.assessment.with_answers).
QUESTION_PATHS = (
    "",
    "claimant.monthly_earnings",
    "partner.monthly_earnings",
    "claimant.caring_hours",
    "claimant.lcwra",
    "capital",
    "has_partner",
    "claimant.weekly_pension_income",
    "claimant.cared_for_gets_qualifying_benefit",
    "bereavement.was_married_or_civil_partners",
    "bereavement.partner_paid_ni_or_industrial_cause",
)


def _items(value: Any, field: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The list of objects, each with at least ``keys``; a ValidationError otherwise."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValidationError(_("Enter a list of objects."), code=f"{field}_not_a_list")
    for number, item in enumerate(value, start=1):
        missing = [key for key in keys if key not in item]
        if missing:
            raise ValidationError(
                _("Item %(number)s is missing: %(missing)s."),
                code=f"{field}_missing_keys",
                params={"number": number, "missing": ", ".join(missing)},
            )
    return value


class LifeEventForm(forms.ModelForm):
    class Meta:
        model = LifeEvent
        fields = (
            "code", "name", "summary", "date_question", "questions", "benefits_to_check", "tasks",
            "partner_services", "updates_facts", "display_order", "active",
        )  # fmt: skip

    def clean_questions(self) -> list[dict[str, Any]]:
        questions = _items(
            self.cleaned_data["questions"], "questions", ("slug", "text", "kind", "path")
        )
        for q in questions:
            if q["kind"] not in QUESTION_KINDS:
                raise ValidationError(
                    _("“%(kind)s” is not a kind of question. Use yes_no, money or count."),
                    code="unknown_kind",
                    params={"kind": q["kind"]},
                )
            if q["path"] not in QUESTION_PATHS:
                raise ValidationError(
                    _("“%(path)s” is not a household path the rules read."),
                    code="unknown_path",
                    params={"path": q["path"]},
                )
        slugs = [q["slug"] for q in questions]
        if len(slugs) != len(set(slugs)):
            raise ValidationError(_("Each question needs its own slug."), code="duplicate_slug")
        return questions

    def clean_tasks(self) -> list[dict[str, Any]]:
        tasks = _items(self.cleaned_data["tasks"], "tasks", ("key", "title", "help", "due_days"))
        keys = [t["key"] for t in tasks]
        if len(keys) != len(set(keys)):
            raise ValidationError(_("Each task needs its own key."), code="duplicate_key")
        for t in tasks:
            if not isinstance(t["due_days"], int) or isinstance(t["due_days"], bool):
                raise ValidationError(
                    _("The task “%(key)s” needs due_days as a whole number of days."),
                    code="due_days_not_a_number",
                    params={"key": t["key"]},
                )
            if t.get("link") and not str(t["link"]).startswith("https://"):
                raise ValidationError(
                    _("The link for “%(key)s” must start with https://."),
                    code="link_not_https",
                    params={"key": t["key"]},
                )
        return tasks

    def clean_partner_services(self) -> list[dict[str, Any]]:
        return _items(
            self.cleaned_data["partner_services"],
            "partner_services",
            ("organisation", "helps_with", "contact"),
        )

    def clean_updates_facts(self) -> list[str]:
        facts = self.cleaned_data["updates_facts"]
        unknown = [f for f in facts or [] if f not in FactKind.values]
        if not isinstance(facts, list) or unknown:
            raise ValidationError(
                _("Use only these facts: %(known)s."),
                code="unknown_fact",
                params={"known": ", ".join(FactKind.values)},
            )
        return facts

    def clean_benefits_to_check(self) -> list[str]:
        from benefits.models import Benefit

        codes = self.cleaned_data["benefits_to_check"]
        if not isinstance(codes, list):
            raise ValidationError(_("Enter a list of benefit codes."), code="not_a_list")
        known = set(Benefit.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(
                _("These are not benefits in the catalogue: %(unknown)s."),
                code="unknown_benefit",
                params={"unknown": ", ".join(map(str, unknown))},
            )
        return codes


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    form = LifeEventForm
    list_display = ("name", "code", "active", "display_order")
    list_editable = ("display_order",)
    list_filter = ("active",)
    search_fields = ("name", "code", "summary")
    fieldsets = (
        (None, {"fields": ("name", "code", "summary", "active", "display_order")}),
        (_("What people are asked"), {"fields": ("date_question", "questions")}),
        (
            _("The plan"),
            {"fields": ("benefits_to_check", "tasks", "partner_services", "updates_facts")},
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # Services and the interpretation of each event key on the code: it is fixed once made.
        return ("code",) if obj is not None else ()


class ViewOnlyAdmin(RecordsAccess, admin.ModelAdmin):
    """A customer's own records: written by the journeys services, only looked at here.

    The access log has no kind for journeys: a look is one at the customer's record (with
    the row's model and id kept for auditors)."""

    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class JourneyTaskInline(ViewOnlyInline):
    model = Task
    fields = readonly_fields = ("title", "due_on", "done_at")


@admin.register(Journey)
class JourneyAdmin(ViewOnlyAdmin):
    access_list_name = _("plans for things happening in people's lives")

    list_display = ("customer", "life_event", "status", "event_date", "started_at")
    list_filter = ("status", "life_event")
    search_fields = ("customer__reference",)
    list_select_related = ("customer", "life_event")
    readonly_fields = (
        "customer", "life_event", "status", "event_date", "answers", "started_at", "updated_at",
    )  # fmt: skip
    inlines = [JourneyTaskInline]


@admin.register(Task)
class TaskAdmin(ViewOnlyAdmin):
    access_list_name = _("to-do lists")

    list_display = ("title", "customer", "source", "due_on", "done_at")
    list_filter = ("source", ("done_at", admin.EmptyFieldListFilter), "due_on")
    search_fields = ("customer__reference", "title")
    list_select_related = ("customer",)
    date_hierarchy = "due_on"
    readonly_fields = (
        "customer", "source", "journey", "goal_step", "key", "title", "help", "link", "due_on",
        "done_at", "created_at",
    )  # fmt: skip


class GoalStepInline(ViewOnlyInline):
    model = GoalStep
    fields = readonly_fields = ("title", "done_at")


@admin.register(Goal)
class GoalAdmin(ViewOnlyAdmin):
    access_list_name = _("goals")

    list_display = ("title", "customer", "target_date", "achieved_at")
    list_filter = (("achieved_at", admin.EmptyFieldListFilter),)
    search_fields = ("customer__reference", "title")
    list_select_related = ("customer",)
    readonly_fields = ("customer", "title", "target_date", "achieved_at", "created_at")
    inlines = [GoalStepInline]


@admin.register(ChangeReport)
class ChangeReportAdmin(ViewOnlyAdmin):
    """Confirmed changes of circumstances are a record of what the person told us: never
    edited or deleted."""

    access_list_name = _("changes of circumstances")

    list_display = ("kind", "customer", "happened_on", "confirmed_at")
    list_filter = ("kind",)
    search_fields = ("customer__reference", "token")
    list_select_related = ("customer",)
    date_hierarchy = "confirmed_at"
    readonly_fields = (
        "customer", "token", "kind", "happened_on", "details", "effects", "confirmed_at",
    )  # fmt: skip
