from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from benefits import claims, selectors
from benefits.models import (
    AwardStatement,
    Benefit,
    Claim,
    ClaimEvent,
    Decision,
    Document,
    InformationRequest,
    Parameter,
    Payment,
)


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


class ReadOnlyInline(admin.TabularInline):
    """Claim records are written by the services in benefits.claims, never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class InformationRequestInline(ReadOnlyInline):
    model = InformationRequest
    fields = readonly_fields = ("what_is_needed", "due_on", "requested_by", "answered_at", "answer")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = readonly_fields = (
        "open_file", "evidence_kind", "content_type", "size", "sha256", "state", "state_reason",
        "uploaded_at",
    )  # fmt: skip

    @admin.display(description=_("file"))
    def open_file(self, obj: Document) -> str:
        url = reverse("admin:benefits_document_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = readonly_fields = ("decided_at", "outcome", "reasons", "decided_by", "challenge_by")


class AwardStatementInline(ReadOnlyInline):
    model = AwardStatement
    fields = readonly_fields = (
        "version",
        "issued_at",
        "effective_from",
        "amount",
        "period",
        "reason",
    )


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = (
        "due_on",
        "period_start",
        "period_end",
        "amount",
        "status",
        "paid_at",
    )


class ClaimEventInline(admin.TabularInline):
    """The timeline, read-only: events are written by the lifecycle, never edited."""

    model = ClaimEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "from_status", "to_status", "by", "reason", "visible_to_customer")
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
    inlines = [
        ClaimEventInline, InformationRequestInline, DocumentInline, DecisionInline,
        AwardStatementInline, PaymentInline,
    ]  # fmt: skip
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Evidence. Opening a file marks the receipt "seen by a caseworker"."""

    list_display = ("original_name", "claim", "evidence_kind", "state", "uploaded_at")
    list_filter = ("state",)
    search_fields = ("claim__reference", "original_name", "sha256")
    list_select_related = ("claim",)
    readonly_fields = (
        "claim", "information_request", "evidence_kind", "original_name", "open_file",
        "content_type", "size", "sha256", "uploaded_at", "uploaded_by", "seen_at", "decided_at",
        "state", "state_reason",
    )  # fmt: skip
    exclude = ("file",)
    show_full_result_count = False

    @admin.display(description=_("file"))
    def open_file(self, obj: Document) -> str:
        url = reverse("admin:benefits_document_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the file"))

    def get_urls(self):
        return [
            path(
                "<int:document_id>/file/",
                self.admin_site.admin_view(self.file_view),
                name="benefits_document_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, document_id: int):
        if not request.user.has_perm("benefits.view_document"):
            raise PermissionDenied
        document = get_object_or_404(Document, pk=document_id)
        claims.mark_document_seen(document=document, by=request.user)
        from benefits.claim_views import serve_document

        return serve_document(document)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
