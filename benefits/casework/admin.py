from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.access import RecordsAccess, flush_access_log, record_access
from accounts.models import AccessEvent
from benefits.casework import changes as casework_changes
from benefits.casework import queue as casework_queue
from benefits.casework import straight_through
from benefits.casework.forms import (
    AwardForm,
    DocumentDecisionForm,
    NoteForm,
    ReassignForm,
    ReconsiderationForm,
    RefuseForm,
    RequestInformationForm,
    ReverseForm,
    ReviewChangeForm,
)
from benefits.catalogue import selectors as catalogue
from benefits.claims import comparison, lifecycle, selectors
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.claims import payments as claim_payments
from benefits.claims import timeline as claim_timeline
from benefits.claims.apply import engine
from benefits.claims.apply.questions import all_questions
from benefits.models import (
    AwardStatement,
    Benefit,
    Claim,
    ClaimEvent,
    ClaimStatus,
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
        catalogue.invalidate_rates()


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
        "automated_check", "uploaded_at",
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
        "adjustment_reason",
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


class AssignedFilter(admin.SimpleListFilter):
    title = _("caseworker")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [
            ("me", _("Assigned to me")),
            ("none", _("Unassigned")),
            ("others", _("Assigned to others")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        if self.value() == "others":
            return queryset.filter(assigned_to__isnull=False).exclude(assigned_to=request.user)
        return queryset


class WorkFilter(admin.SimpleListFilter):
    """Open work by default: what a caseworker can act on, or waits on the person."""

    title = _("work")
    parameter_name = "work"

    def lookups(self, request, model_admin):
        return [
            ("queue", _("Ready for a caseworker")),
            ("waiting", _("Waiting for the person")),
            ("overdue", _("Overdue")),
            ("changes", _("Changes of circumstances to review")),
            ("all", _("Everything, decided included")),
        ]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == _("All"):
                continue  # "Everything" is explicit; no value means the open work
            yield choice

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all":
            return queryset
        if value == "queue":
            return queryset.filter(status__in=casework_queue.QUEUE)
        if value == "waiting":
            return queryset.filter(status=ClaimStatus.INFORMATION_REQUESTED)
        if value == "changes":
            return queryset.filter(change_to_review_from__isnull=False)
        if value == "overdue":
            return queryset.filter(status__in=lifecycle.OPEN, due_by__lt=timezone.localdate())
        return queryset.filter(status__in=lifecycle.OPEN)


class PriorityFilter(admin.SimpleListFilter):
    title = _("priority")
    parameter_name = "priority"

    def lookups(self, request, model_admin):
        return [
            ("2", _("Needs extra support")),
            ("1", _("Accessibility needs")),
            ("0", _("No flags")),
        ]

    def queryset(self, request, queryset):
        return (
            queryset.filter(priority=int(self.value()))
            if self.value() in ("0", "1", "2")
            else queryset
        )


@admin.register(Claim)
class ClaimAdmin(RecordsAccess, SimpleHistoryAdmin):
    """The work queue. Status changes only through the casework buttons, which call the
    same services as everything else (benefits.claims, benefits.casework)."""

    access_what = AccessEvent.What.CLAIM
    access_list_name = _("claims")

    list_display = (
        "reference", "benefit", "customer_reference", "status", "flags", "due", "assigned_to",
    )  # fmt: skip
    list_filter = (
        WorkFilter, AssignedFilter, PriorityFilter, "status", "benefit",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
    )  # fmt: skip
    search_fields = ("reference", "customer__reference", "customer__legal_family_name")
    list_select_related = ("benefit", "customer", "assigned_to")
    ordering = ("-priority", "due_by", "submitted_at")
    readonly_fields = (
        "reference", "customer", "benefit", "status", "assigned_to", "assigned_at", "due_by",
        "priority", "version", "created_at", "updated_at", "submitted_at", "decided_at",
        "answers_sha256", "answers_given",
    )  # fmt: skip
    fields = readonly_fields
    inlines = [
        ClaimEventInline, InformationRequestInline, DocumentInline, DecisionInline,
        AwardStatementInline, PaymentInline,
    ]  # fmt: skip
    actions = ["assign_to_me", "return_to_queue", "reassign"]
    change_list_template = "admin/benefits/claim/change_list.html"
    change_form_template = "admin/benefits/claim/change_form.html"
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("answers"))
    def answers_given(self, obj: Claim) -> str:
        """The answers as the person reads them on check your answers: NI number and bank
        account by their ending only (``engine.display``), never the raw JSON."""
        rows = [
            (str(q.title), engine.display(q, obj.answers[q.slug]))
            for q in all_questions(obj.benefit.code)
            if q.slug in obj.answers
        ]
        if not rows:
            return "—"
        return format_html(
            "<dl>{}</dl>",
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows),
        )

    @admin.display(description=_("customer"), ordering="customer__reference")
    def customer_reference(self, obj: Claim) -> str:
        return obj.customer.reference

    @admin.display(description=_("flags"), ordering="-priority")
    def flags(self, obj: Claim) -> str:
        return {2: _("Needs extra support"), 1: _("Accessibility needs")}.get(obj.priority, "")

    @admin.display(description=_("decide by"), ordering="due_by")
    def due(self, obj: Claim) -> str:
        if obj.due_by is None:
            return "—"
        if obj.status in lifecycle.OPEN and obj.due_by < timezone.localdate():
            return format_html(
                '<strong class="portal-overdue">{} ({})</strong>', obj.due_by, _("overdue")
            )
        return str(obj.due_by)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("take-next/", view(self.take_next_view), name="benefits_claim_take_next"),
            path("load/", view(self.load_view), name="benefits_claim_load"),
            path(
                "<int:claim_id>/act/<slug:action>/", view(self.act_view), name="benefits_claim_act"
            ),
            *super().get_urls(),
        ]

    # --- Actions on many claims ---------------------------------------------------------

    @admin.action(description=_("Assign the selected claims to me"), permissions=["change"])
    def assign_to_me(self, request, queryset) -> None:
        done = 0
        for claim in queryset.filter(status__in=lifecycle.OPEN):
            try:
                casework_queue.assign(claim=claim, to=request.user, by=request.user)
                done += 1
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(
            request,
            ngettext("%(n)d claim assigned to you.", "%(n)d claims assigned to you.", done)
            % {"n": done},
        )

    @admin.action(description=_("Return the selected claims to the queue"), permissions=["change"])
    def return_to_queue(self, request, queryset) -> None:
        done = 0
        for claim in queryset:
            try:
                casework_queue.unassign(claim=claim, by=request.user)
                done += 1
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
        self.message_user(
            request,
            ngettext(
                "%(n)d claim returned to the queue.", "%(n)d claims returned to the queue.", done
            )
            % {"n": done},
        )

    @admin.action(
        description=_("Reassign the selected claims (team leaders)"), permissions=["reassign"]
    )
    def reassign(self, request, queryset):
        form = ReassignForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            try:
                moved = casework_queue.bulk_reassign(
                    claim_ids=list(queryset.values_list("pk", flat=True)),
                    to=form.cleaned_data["to"],
                    by=request.user,
                )
            except (PermissionDenied, ValueError) as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request,
                ngettext("%(n)d claim reassigned.", "%(n)d claims reassigned.", moved)
                % {"n": moved},
            )
            return None
        claims = list(queryset.select_related("benefit", "assigned_to"))
        self.record_rows_access(request, claims)  # the page lists the claims chosen
        return TemplateResponse(
            request, "admin/benefits/claim/reassign.html",
            {**self.admin_site.each_context(request), "title": _("Reassign claims"), "form": form,
             "claims": claims, "opts": self.model._meta,
             "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME},
        )  # fmt: skip

    def has_reassign_permission(self, request) -> bool:
        return request.user.has_perm("benefits.reassign_claims")

    # --- Views -------------------------------------------------------------------------------

    def take_next_view(self, request):
        if request.method != "POST" or not request.user.has_perm("benefits.change_claim"):
            raise PermissionDenied
        claim = casework_queue.take_next_claim(by=request.user)
        if claim is None:
            self.message_user(
                request, _("The queue is empty: there is no claim to take."), messages.INFO
            )
            return redirect("admin:benefits_claim_changelist")
        self.message_user(request, _("Claim %(ref)s is yours.") % {"ref": claim.reference})
        return redirect("admin:benefits_claim_change", claim.pk)

    def load_view(self, request):
        if not request.user.has_perm("benefits.reassign_claims"):
            raise PermissionDenied
        return TemplateResponse(
            request, "admin/benefits/claim/load.html",
            {**self.admin_site.each_context(request), "title": _("Caseworkers' load"),
             "rows": casework_queue.caseworker_load(), "opts": self.model._meta,
             "unassigned": Claim.objects.filter(status__in=casework_queue.QUEUE, assigned_to__isnull=True).count()},
        )  # fmt: skip

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Nothing on a claim is edited as a form: the casework buttons call the services.
        extra_context = {"show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False, **(extra_context or {})}  # fmt: skip
        if object_id:
            claim = self.get_object(request, object_id)
            if claim is not None:
                extra_context |= casework_context(request, claim)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def act_view(self, request, claim_id: int, action: str):
        if request.method != "POST":
            raise PermissionDenied
        claim = get_object_or_404(Claim.objects.select_related("benefit", "customer"), pk=claim_id)
        handler = ACTIONS.get(action)
        if handler is None:
            raise Http404
        permission, form_class, run = handler
        if not request.user.has_perm(permission):
            raise PermissionDenied
        form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                self.message_user(
                    request, f"{label}: {' '.join(errors)}".strip(": "), messages.ERROR
                )
            return redirect("admin:benefits_claim_change", claim.pk)
        try:
            done = run(claim=claim, by=request.user, form=form)
        except (
            lifecycle.TransitionNotAllowed, claim_decisions.ReasonNeeded, claim_decisions.TooLate, ValueError,
            PermissionDenied,
        ) as exc:  # fmt: skip
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:benefits_claim_change", claim.pk)


def casework_context(request, claim: Claim) -> dict:
    """What the casework panel on a claim needs: the rules' proposal and the forms."""
    proposal = None
    if claim.status in (
        ClaimStatus.SUBMITTED,
        ClaimStatus.IN_REVIEW,
        ClaimStatus.RECONSIDERATION_REQUESTED,
    ):
        try:
            proposal = claim_decisions.assess_claim(claim=claim)
        except Exception:
            proposal = None
    latest = claim.decisions.order_by("-decided_at").first()
    return {
        "casework": {
            "claim": claim,
            "proposal": proposal,
            "can_decide": request.user.has_perm("benefits.decide_claims"),
            "is_mine": claim.assigned_to_id == request.user.pk,
            "allowed": {s for s in ClaimStatus.values if lifecycle.allowed(claim.status, s)},
            "automatic": claim.status == ClaimStatus.AWARDED and latest is not None and latest.decided_by_id is None,
            "documents": list(claim.documents.all()),
            "notes": list(selectors.case_notes(claim_ids=[claim.pk])),
            # The same before and after the person saw when they reported the change.
            "change": comparison.change_review(claim) if claim.change_to_review_from else None,
            # Each form's fields are prefixed with its action, so ids are unique on the page.
            "forms": {
                "request": RequestInformationForm(
                    prefix="request-information", nation=claim_payments.nation_of(claim.customer)
                ),
                "award": AwardForm(prefix="award"), "refuse": RefuseForm(prefix="refuse"),
                "reconsider": ReconsiderationForm(prefix="reconsider"), "note": NoteForm(prefix="note"),
                "reverse": ReverseForm(prefix="reverse"),
                "review_change": ReviewChangeForm(prefix="review-change"),
            },
        }
    }  # fmt: skip


def _request(*, claim, by, form):
    claim_documents.request_information(
        claim=claim, by=by, what=form.cleaned_data["what"], due_on=form.cleaned_data["due_on"]
    )
    return _("The person has been asked, and it is on their to-do list.")


def _award(*, claim, by, form):
    decision = claim_decisions.award_claim(
        claim=claim, by=by, amount=form.cleaned_data["amount"],
        adjustment_reason=form.cleaned_data["adjustment_reason"],
        internal_note=form.cleaned_data["internal_note"], reasons=form.cleaned_data["reasons"],
    )  # fmt: skip
    return _("Awarded: %(amount)s.") % {"amount": decision.statement.amount}


def _refuse(*, claim, by, form):
    claim_decisions.refuse_claim(claim=claim, by=by, reasons=form.reasons())
    return _("Refused. The person has the decision, its reasons and how to challenge it.")


def _reconsider(*, claim, by, form):
    claim_decisions.decide_reconsideration(
        claim=claim, by=by, changed=form.cleaned_data["changed"], reasons=form.cleaned_data["reasons"],
        amount=form.cleaned_data["amount"],
    )  # fmt: skip
    return _("Reconsideration decided.")


def _note(*, claim, by, form):
    claim_timeline.add_internal_note(claim=claim, by=by, text=form.cleaned_data["text"])
    return _("Note added.")


def _document(*, claim, by, form):
    document = get_object_or_404(Document, pk=form.cleaned_data["document"], claim=claim)
    claim_documents.decide_document(
        document=document,
        by=by,
        accepted=form.cleaned_data["accepted"],
        reason=form.cleaned_data["reason"],
    )
    return _("Document decision recorded.")


def _reverse(*, claim, by, form):
    straight_through.reverse_automatic_award(claim=claim, by=by, reason=form.cleaned_data["reason"])
    return _("The automatic award was reversed: the claim is back in review.")


def _review_change(*, claim, by, form):
    casework_changes.review_change(
        claim=claim, by=by, apply=form.cleaned_data["apply"], reason=form.cleaned_data["reason"]
    )
    return _("The reported change has been dealt with.")


def _take(*, claim, by, form):
    casework_queue.assign(claim=claim, to=by, by=by)
    return _("The claim is yours.")


def _release(*, claim, by, form):
    casework_queue.unassign(claim=claim, by=by)
    return _("The claim is back in the queue.")


class _Empty(forms.Form):
    pass


ACTIONS = {
    "request-information": ("benefits.change_claim", RequestInformationForm, _request),
    "award": ("benefits.decide_claims", AwardForm, _award),
    "refuse": ("benefits.decide_claims", RefuseForm, _refuse),
    "reconsider": ("benefits.decide_claims", ReconsiderationForm, _reconsider),
    "note": ("benefits.change_claim", NoteForm, _note),
    "document": ("benefits.change_document", DocumentDecisionForm, _document),
    "reverse": ("benefits.decide_claims", ReverseForm, _reverse),
    "review-change": ("benefits.decide_claims", ReviewChangeForm, _review_change),
    "take": ("benefits.change_claim", _Empty, _take),
    "release": ("benefits.change_claim", _Empty, _release),
}


@admin.register(Document)
class DocumentAdmin(RecordsAccess, admin.ModelAdmin):
    """Evidence. Opening a file marks the receipt "seen by a caseworker"."""

    access_what = AccessEvent.What.DOCUMENT
    access_customer = "claim__customer"
    access_list_name = _("documents people sent")

    list_display = ("original_name", "claim", "evidence_kind", "state", "uploaded_at")
    list_filter = ("state",)
    search_fields = ("claim__reference", "original_name", "sha256")
    list_select_related = ("claim__benefit",)  # a claim reads as its benefit and reference
    readonly_fields = (
        "claim", "information_request", "evidence_kind", "original_name", "open_file",
        "content_type", "size", "sha256", "uploaded_at", "uploaded_by", "seen_at", "decided_at",
        "state", "state_reason", "automated_check",
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
        document = get_object_or_404(Document.objects.select_related("claim"), pk=document_id)
        record_access(
            request, customer_id=document.claim.customer_id, what="document",
            object_id=document.pk, model="benefits.document",
        )  # fmt: skip
        # The look is logged before the receipt says "seen": if the log cannot be written,
        # the file is not sent (a 503) and the receipt stays as it was.
        flush_access_log(request)
        claim_documents.mark_document_seen(document=document, by=request.user)
        from benefits.evidence.serving import serve_document

        # Photos can be viewed in the page (the 360° view shows them); anything else downloads.
        inline = request.GET.get("inline") == "1" and document.content_type in (
            "image/png",
            "image/jpeg",
        )
        return serve_document(document, inline=inline)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
