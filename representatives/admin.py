"""The caseworker's side of representatives and the person's data rights.

A caseworker records an appointee (someone appointed to act for a person who cannot manage
their affairs) or an organisation (a welfare-rights service, with its advisers) after
checking evidence; everything else about representatives a person does themself.
Consent records are read only; correction requests are decided here. Every page showing a
person's records logs the look (``accounts.access.RecordsAccess``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import RecordsAccess
from accounts.acting import Scope
from accounts.http import AuthenticatedHttpRequest
from accounts.models import AccessEvent
from lib.admin import ReadOnlyAdmin
from representatives import corrections, services
from representatives.models import (
    ConsentRecord,
    CorrectionRequest,
    DataExport,
    Organisation,
    Representation,
    RepresentativeAction,
)
from representatives.rights_forms import OutcomeForm


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "checked_at"]
    search_fields = ["name"]
    filter_horizontal = ["advisers"]
    readonly_fields = ["checked_by", "checked_at"]
    fields = ["name", "email", "phone", "advisers", "evidence", "checked_by", "checked_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.checked_by = request.user
        super().save_model(request, obj, form, change)


class FormalRepresentativeForm(forms.ModelForm):
    """Recording an appointee or an organisation: only those two kinds, with evidence."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Representation.Kind.APPOINTEE, Representation.Kind.APPOINTEE.label),
            (Representation.Kind.ORGANISATION, Representation.Kind.ORGANISATION.label),
        ],
    )
    scopes = forms.MultipleChoiceField(
        label=_("What they can do"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Representation.Kind.APPOINTEE and not data.get("representative"):
            self.add_error("representative", _("Choose the appointee's sign-in."))
        if kind == Representation.Kind.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation."))
        if not (data.get("evidence") or "").strip():
            self.add_error("evidence", _("Say what evidence was checked."))
        return data

    class Meta:
        model = Representation
        fields = ["customer", "kind", "representative", "organisation", "name", "scopes",
                  "ends_on", "evidence"]  # fmt: skip


@admin.register(Representation)
class RepresentationAdmin(RecordsAccess, admin.ModelAdmin):
    access_list_name = _("your representatives")
    list_display = ["name", "customer", "kind", "status", "scopes", "ends_on", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["customer"]
    search_fields = ["customer__reference", "name"]
    raw_id_fields = ["customer", "representative"]
    actions = ["stop_selected"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = FormalRepresentativeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in Representation._meta.fields if f.name != "id"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return FormalRepresentativeForm.Meta.fields
        return ["customer", "kind", "status", "name", "representative", "organisation",
                "scopes", "ends_on", "invited_email", "invitation_expires_at", "accepted_at",
                "ended_at", "ended_by", "evidence", "created_by", "created_at"]  # fmt: skip

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return  # read-only: changes are the person's, or "Stop" below
        try:
            created = services.record_formal(
                customer=form.cleaned_data["customer"], by=request.user,
                kind=form.cleaned_data["kind"], scopes=form.cleaned_data["scopes"],
                evidence=form.cleaned_data["evidence"],
                representative=form.cleaned_data.get("representative"),
                organisation=form.cleaned_data.get("organisation"),
                name=form.cleaned_data.get("name", ""), ends_on=form.cleaned_data.get("ends_on"),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
            raise
        obj.pk = created.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Stop the selected representatives"), permissions=["change"])
    def stop_selected(self, request, queryset) -> None:
        for representation in queryset:
            services.stop(representation=representation, by=request.user)
        messages.success(request, _("Stopped."))


@admin.register(RepresentativeAction)
class RepresentativeActionAdmin(ReadOnlyAdmin, RecordsAccess, admin.ModelAdmin):
    access_list_name = _("what your representatives did")
    list_display = ["at", "customer", "by_name", "kind", "what"]
    list_select_related = ["customer"]
    search_fields = ["customer__reference"]
    readonly_fields = ["representation", "customer", "by", "by_name", "at", "kind", "what", "route"]


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin, RecordsAccess, admin.ModelAdmin):
    """ "Download my data" jobs, for staff to see what failed and why (read only)."""

    access_list_name = _("downloads of your data")
    list_display = ["requested_at", "customer", "status", "progress", "attempts", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["customer"]
    search_fields = ["customer__reference"]
    fields = ("customer", "status", "progress", "attempts", "requested_at", "started_at",
              "finished_at", "expires_at", "size", "sha256", "error")  # fmt: skip
    readonly_fields = fields


# --- Consents and corrections (the person's data rights) ----------------------------------


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin, RecordsAccess, admin.ModelAdmin):
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
