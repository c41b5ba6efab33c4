"""The caseworker's side of representatives: appointees and organisations, checked first.

A caseworker records an appointee (someone appointed to act for a person who cannot manage
their affairs) or an organisation (a welfare-rights service, with its advisers) after
checking evidence; everything else a person does themself. Every staff read of a
representation is logged for the person (``RecordsAccess``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.access import RecordsAccess
from accounts.acting import Scope
from representatives import services
from representatives.models import DataExport, Organisation, Representation, RepresentativeAction


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

    @admin.action(description=_("Stop the selected representatives"))
    def stop_selected(self, request, queryset) -> None:
        for representation in queryset:
            services.stop(representation=representation, by=request.user)
        messages.success(request, _("Stopped."))


@admin.register(RepresentativeAction)
class RepresentativeActionAdmin(RecordsAccess, admin.ModelAdmin):
    access_list_name = _("what your representatives did")
    list_display = ["at", "customer", "by_name", "kind", "what"]
    list_select_related = ["customer"]
    search_fields = ["customer__reference"]
    readonly_fields = ["representation", "customer", "by", "by_name", "at", "kind", "what", "route"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataExport)
class DataExportAdmin(RecordsAccess, admin.ModelAdmin):
    """ "Download my data" jobs, for staff to see what failed and why (read only)."""

    access_list_name = _("downloads of your data")
    list_display = ["requested_at", "customer", "status", "progress", "attempts", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["customer"]
    search_fields = ["customer__reference"]
    fields = ("customer", "status", "progress", "attempts", "requested_at", "started_at",
              "finished_at", "expires_at", "size", "sha256", "error")  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
