"""The person's claims: where each one is, what happens next, and what they can do."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET

from accounts import versions
from accounts.acting import Scope, representable, whose
from accounts.activity import passive
from benefits.claims import applications, letters, lifecycle, selectors
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.claims.forms import (
    AnswerForm,
    EvidenceForm,
    ReconsiderForm,
    WithdrawForm,
    upload_into,
)
from benefits.evidence.serving import serve_document
from benefits.models import Claim, ClaimEvent, ClaimStatus, Document, InformationRequest
from notifications.services import mark_read_for_link

S = ClaimStatus


# --- The claim page -------------------------------------------------------------------------------


def status_etag(request: HttpRequest, claim_id: int) -> str | None:
    """The tag of the claim's status panel: the person's version (a claim's status,
    timeline, requests and decision all bump it), the language, the date, the claim."""
    return versions.etag_for(request, "claim-status", claim_id)


def _context(request: HttpRequest, claim: Claim, *, etag: str | None) -> dict:
    prefetch_related_objects(
        [claim],
        # With who did each thing: a representative's are shown with their name.
        Prefetch(
            "events",
            queryset=ClaimEvent.objects.filter(visible_to_customer=True).select_related(
                "by__customer"
            ),
        ),
        "documents",
        "decisions",
        "statements",
        "payments",
        Prefetch("information_requests", queryset=InformationRequest.objects.order_by("due_on")),
    )
    full = claim
    today = timezone.localdate()
    requests_ = list(full.information_requests.all())
    events = list(full.events.all())
    decisions = list(full.decisions.all())
    statements = sorted(full.statements.all(), key=lambda s: s.version)
    payments = list(full.payments.all())
    latest_decision = decisions[-1] if decisions else None
    can_reconsider = (
        latest_decision is not None
        and lifecycle.allowed(full.status, S.RECONSIDERATION_REQUESTED)
        and today <= latest_decision.challenge_by
    )
    return {
        "claim": full,
        "events": events,
        "next_step": lifecycle.NEXT_STEP[full.status],
        "stages": lifecycle.stages(full.status),
        "waiting_on_you": full.status in lifecycle.WAITING_ON_YOU,
        "expected": selectors.expected_decision(full),
        "can_withdraw": lifecycle.allowed(full.status, S.WITHDRAWN) and full.status != S.DRAFT,
        # A withdrawn or decided claim asks nothing more of the person.
        "open_requests": [r for r in requests_ if r.answered_at is None]
        if full.status in lifecycle.OPEN
        else [],
        "answered_requests": [r for r in requests_ if r.answered_at is not None],
        "documents": list(full.documents.all()),
        "decisions": decisions,
        "latest_decision": latest_decision,
        "can_reconsider": can_reconsider,
        "statement": statements[-1] if statements else None,
        "earlier_statements": statements[:-1][::-1],
        "paid": [p for p in payments if p.status == "paid"][::-1],
        "upcoming": [p for p in payments if p.status in ("scheduled", "held")],
        "period_words": letters.PERIODS,
        "etag": etag,
        "today": today,
        "evidence_form": EvidenceForm(kinds=list(full.benefit.evidence_needed)),
    }


@representable(Scope.SEE, per_claim=True)
@never_cache
@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    etag = status_etag(request, claim_id)  # before the reads: see accounts.versions
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    if claim.status == S.DRAFT:
        return redirect("claims:apply", claim_id=claim.pk)
    mark_read_for_link(customer=claim.customer, link=request.path)
    return render(request, "benefits/claims/detail.html", _context(request, claim, etag=etag))


@representable(Scope.SEE, per_claim=True)
@passive  # polled by the claim page
@require_GET
@never_cache
@login_required
@condition(etag_func=status_etag)
def claim_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The claim's status panel, for the page to refresh without reloading.

    The page sends the tag it shows in If-None-Match: when nothing changed the answer is a
    304 with no body, decided from the tag alone (no query beyond the session's). The tag
    names the signed-in person, so another person's claim id never matches: it is a 404."""
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    context = _context(request, claim, etag=status_etag(request, claim_id))
    return render(request, "benefits/claims/_status.html", context)


@representable(Scope.ACT, per_claim=True)
@login_required
def withdraw(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            applications.withdraw_claim(
                claim=claim, by=request.user, reason=form.cleaned_data["reason"]
            )
        except lifecycle.TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("claims:detail", claim_id=claim.pk)
        messages.success(request, _("Your claim has been withdrawn."))
        return redirect("claims:detail", claim_id=claim.pk)
    if claim.status == S.DRAFT or not lifecycle.allowed(claim.status, S.WITHDRAWN):
        messages.error(request, _("This claim can no longer be withdrawn."))
        return redirect("claims:detail", claim_id=claim.pk)
    return render(request, "benefits/claims/withdraw.html", {"claim": claim, "form": form})


# --- Answering a request for information ------------------------------------------------------


@representable(Scope.ACT, per_claim=True)
@login_required
def answer_request(request: HttpRequest, claim_id: int, request_id: int) -> HttpResponse:
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    info = claim.information_requests.filter(pk=request_id).first()
    if info is None:
        raise Http404
    if info.answered_at is not None:
        messages.info(request, _("You have already answered this request."))
        return redirect("claims:detail", claim_id=claim.pk)
    if claim.status not in lifecycle.OPEN:
        messages.info(request, _("We no longer need an answer: this claim is not open."))
        return redirect("claims:detail", claim_id=claim.pk)
    kinds = list(claim.benefit.evidence_needed)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    evidence = EvidenceForm(kinds=kinds)
    if request.method == "POST":
        sending_file = bool(request.FILES.get("document"))
        evidence = (
            EvidenceForm(request.POST, request.FILES, kinds=kinds) if sending_file else evidence
        )
        documents = []
        if form.is_valid() and (not sending_file or evidence.is_valid()):
            if sending_file and (doc := upload_into(request, claim, evidence, info)):
                documents.append(doc)
            if not evidence.errors:
                try:
                    claim_documents.answer_information_request(
                        request=info, by=request.user, answer=form.cleaned_data["answer"],
                        documents=documents,
                    )  # fmt: skip
                except claim_documents.NothingToSend as exc:
                    form.add_error("answer", str(exc))
                else:
                    messages.success(request, _("Thank you. We have your answer."))
                    return redirect("claims:detail", claim_id=claim.pk)
    return render(
        request, "benefits/claims/answer.html",
        {"claim": claim, "info": info, "form": form, "evidence_form": evidence},
    )  # fmt: skip


@representable(Scope.ACT, per_claim=True)
@login_required
def add_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    """More documents for a claim that has been sent."""
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    kinds = list(claim.benefit.evidence_needed)
    form = EvidenceForm(kinds=kinds)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid() and (document := upload_into(request, claim, form)):
            messages.success(
                request, _("%(name)s has been uploaded.") % {"name": document.original_name}
            )
            return redirect("claims:detail", claim_id=claim.pk)
    return render(request, "benefits/claims/add_evidence.html", {"claim": claim, "form": form})


# --- Documents, letters and statements -----------------------------------------------------------


@representable(Scope.SEE, per_claim=True)
@require_GET
@login_required
def document_file(request: HttpRequest, claim_id: int, document_id: int) -> FileResponse:
    """The person's own document, never by a guessable path: both ids must be theirs."""
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    document = Document.objects.filter(claim=claim, pk=document_id).first()
    if document is None:
        raise Http404
    return serve_document(document)


@representable(Scope.SEE, per_claim=True)
@require_GET
@login_required
def decision_letter(request: HttpRequest, claim_id: int, decision_id: int) -> HttpResponse:
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    decision = claim.decisions.select_related("statement").filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    pdf = letters.render_decision_letter(letters.build_letter(claim, decision))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"decision-{claim.reference}-{decision.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@representable(Scope.SEE, per_claim=True)
@never_cache
@login_required
def statement(request: HttpRequest, claim_id: int, version: int) -> HttpResponse:
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    found = claim.statements.filter(version=version).first()
    if found is None:
        raise Http404
    latest = claim.statements.order_by("-version").values_list("version", flat=True).first()
    return render(
        request, "benefits/claims/statement.html",
        {"claim": claim, "statement": found, "is_latest": found.version == latest,
         "period_words": letters.PERIODS},
    )  # fmt: skip


# --- Reconsideration ---------------------------------------------------------------------------


@representable(Scope.ACT, per_claim=True)
@login_required
def reconsider(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)
    decision = claim.decisions.order_by("-decided_at").first()
    allowed = decision is not None and lifecycle.allowed(claim.status, S.RECONSIDERATION_REQUESTED)
    if not allowed:
        messages.error(request, _("You cannot ask for a reconsideration of this claim."))
        return redirect("claims:detail", claim_id=claim.pk)
    form = ReconsiderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            claim_decisions.request_reconsideration(
                claim=claim, by=request.user, reason=form.cleaned_data["reason"]
            )
        except (
            claim_decisions.TooLate,
            applications.ClaimInProgress,
            lifecycle.TransitionNotAllowed,
        ) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("We have your request. We will look at the decision again.")
            )
            return redirect("claims:detail", claim_id=claim.pk)
    return render(
        request, "benefits/claims/reconsider.html",
        {"claim": claim, "form": form, "decision": decision,
         "too_late": timezone.localdate() > decision.challenge_by},
    )  # fmt: skip
