from __future__ import annotations

from django.contrib import admin

from benefits import selectors
from benefits.models import Benefit, Claim, ClaimEvent, Parameter


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "service_level_days", "open_for_online_claims", "display_order")
    list_editable = ("display_order",)
    list_filter = ("open_for_online_claims",)
    search_fields = ("name", "code")


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    """Rates: a change is a new row from its start date, never an edit of a past value."""

    list_display = ("name", "value", "unit", "effective_from", "effective_to", "note")
    list_filter = ("unit", "effective_from")
    search_fields = ("name", "description", "source", "note")
    date_hierarchy = "effective_from"

    def get_readonly_fields(self, request, obj=None):
        # Once in force, a rate is history: only its end date may be set (to close it).
        if obj is not None:
            return ("name", "value", "unit", "effective_from", "source", "description")
        return ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        selectors.invalidate_rates()


class ClaimEventInline(admin.TabularInline):
    """The timeline, read-only: events are written by the lifecycle, never edited."""

    model = ClaimEvent
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "reason", "visible_to_customer")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Claims; status changes arrive with the caseworker actions (through benefits.lifecycle)."""

    list_display = ("reference", "benefit", "customer", "status", "submitted_at", "decided_at")
    list_filter = ("status", "benefit")
    search_fields = ("reference", "customer__reference", "customer__legal_family_name")
    list_select_related = ("benefit", "customer")
    readonly_fields = (
        "reference", "customer", "benefit", "status", "version", "created_at", "updated_at",
        "submitted_at", "decided_at",
    )  # fmt: skip
    fields = (*readonly_fields, "answers")
    inlines = [ClaimEventInline]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
