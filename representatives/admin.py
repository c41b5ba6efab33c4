"""The caseworker's side of representatives and the person's data rights.

Every page showing a person's records logs the look (``accounts.access.RecordsAccess``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import RecordsAccess
from accounts.http import AuthenticatedHttpRequest
from accounts.models import AccessEvent
from representatives import corrections
from representatives.models import ConsentRecord, CorrectionRequest
from representatives.rights_forms import OutcomeForm

# --- Consents and corrections (the person's data rights) ----------------------------------


@admin.register(ConsentRecord)
class ConsentRecordAdmin(RecordsAccess, admin.ModelAdmin):
    """Consent records, read-only: they are append-only, changed by nobody here."""

    access_what = AccessEvent.What.CONSENT
    access_list_name = _("consent records")

    list_display = ("at", "customer_reference", "purpose", "action", "party", "recorded_as")
    list_filter = ("action", "purpose", "legal_basis")
    list_select_related = ("customer",)
    search_fields = ("customer__reference",)
    ordering = ("-at", "-pk")
    show_full_result_count = False
    readonly_fields = (
        "customer", "purpose", "action", "legal_basis", "wording_version", "wording",
        "party_kind", "party_id", "at", "expires_at", "recorded_by", "recorded_as", "note",
    )  # fmt: skip
    fields = readonly_fields

    @admin.display(description=_("customer"), ordering="customer__reference")
    def customer_reference(self, obj: ConsentRecord) -> str:
        return obj.customer.reference

    @admin.display(description=_("party"))
    def party(self, obj: ConsentRecord) -> str:
        return f"{obj.party_kind} {obj.party_id}" if obj.party_id is not None else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CorrectionStatusFilter(admin.SimpleListFilter):
    """Open requests by default: the queue."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("all", _("All")),
            *((s.value, s.label) for s in CorrectionRequest.Status),
        ]

    def choices(self, changelist: Any) -> Iterator[Any]:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or CorrectionRequest.Status.OPEN) == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value() or CorrectionRequest.Status.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(RecordsAccess, admin.ModelAdmin):
    """The queue of "This is wrong" requests, oldest open first; the outcome form on each
    request calls ``corrections.decide_correction``."""

    access_what = AccessEvent.What.CORRECTION
    access_list_name = _("correction requests")

    list_display = ("created_at", "customer_reference", "subject", "shown_value", "status")
    list_filter = (CorrectionStatusFilter, "subject")
    list_select_related = ("customer",)
    search_fields = ("customer__reference",)
    ordering = ("created_at", "pk")
    show_full_result_count = False
    readonly_fields = (
        "customer", "subject", "object_id", "shown_value", "what_is_wrong", "should_be",
        "status", "created_at", "created_by", "decided_at", "decided_by", "reason",
        "corrected_value", "corrected_fact",
    )  # fmt: skip
    fields = readonly_fields
    change_form_template = "admin/representatives/correctionrequest/change_form.html"

    @admin.display(description=_("customer"), ordering="customer__reference")
    def customer_reference(self, obj: CorrectionRequest) -> str:
        return obj.customer.reference

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path(
                "<int:correction_id>/decide/",
                view(self.decide_view),
                name="representatives_correctionrequest_decide",
            ),
            *super().get_urls(),
        ]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        if object_id:
            extra_context["outcome_form"] = OutcomeForm(prefix="outcome")
            extra_context["can_decide"] = request.user.has_perm(
                "representatives.change_correctionrequest"
            )
            obj = self.get_object(request, object_id)
            subject = corrections.SUBJECTS.get(obj.subject) if obj else None
            extra_context["subject_label"] = subject.label if subject else ""
            extra_context["applies"] = bool(subject and subject.apply)
            extra_context["apply_help"] = subject.apply_help if subject else ""
            extra_context |= {
                "show_save": False, "show_save_and_continue": False,
                "show_save_and_add_another": False,
            }  # fmt: skip
        # The page is read-only as a form: the outcome form posts to its own view.
        if request.method == "POST":
            raise PermissionDenied
        return super().changeform_view(request, object_id, form_url, extra_context)

    def decide_view(self, request: AuthenticatedHttpRequest, correction_id: int) -> HttpResponse:
        if request.method != "POST" or not request.user.has_perm(
            "representatives.change_correctionrequest"
        ):
            raise PermissionDenied
        correction = get_object_or_404(CorrectionRequest, pk=correction_id)
        back = reverse("admin:representatives_correctionrequest_change", args=[correction.pk])
        form = OutcomeForm(request.POST, prefix="outcome")
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
            corrections.decide_correction(
                request=correction,
                by=request.user,
                **form.cleaned_data,
            )
        except corrections.CorrectionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return redirect(back)
        self.message_user(request, _("The outcome is recorded and the person is told."))
        return redirect(reverse("admin:representatives_correctionrequest_changelist"))
