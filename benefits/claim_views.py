"""The person's claims: where each one is, what happens next, and what they can do."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from benefits import claims, letters, lifecycle, selectors
from benefits.apply.views import EvidenceForm, upload_into
from benefits.models import Claim, ClaimEvent, ClaimStatus, Document, InformationRequest
from benefits.rules.base import add_working_days, gbp, gbp_item
from notifications.services import mark_read_for_link

S = ClaimStatus
NEXT_STEP = {
    S.DRAFT: gettext_lazy("Your application has not been sent yet."),
    S.SUBMITTED: gettext_lazy("We have your application. A caseworker will look at it."),
    S.IN_REVIEW: gettext_lazy(
        "A caseworker is looking at your application. You do not need to do anything."
    ),
    S.INFORMATION_REQUESTED: gettext_lazy(
        "We need more information from you before we can decide."
    ),
    S.AWARDED: gettext_lazy("Your claim was awarded."),
    S.REFUSED: gettext_lazy(
        "Your claim was refused. You can ask us to look at the decision again within one month."
    ),
    S.RECONSIDERATION_REQUESTED: gettext_lazy("We are looking at the decision again."),
    S.RECONSIDERED: gettext_lazy("We have looked at the decision again."),
    S.WITHDRAWN: gettext_lazy("You withdrew this claim."),
    S.CLOSED: gettext_lazy("This claim is closed."),
}
WAITING_ON_YOU = {S.DRAFT, S.INFORMATION_REQUESTED}
PERIODS = {"week": gettext_lazy("a week"), "month": gettext_lazy("a month"), "once": ""}


# --- When we expect to decide -----------------------------------------------------------------


def expected_decision(claim: Claim) -> tuple[date, date] | None:
    """An honest range, not a promise: from recent decision times when there are enough,
    otherwise from the service level (most claims are decided well inside it)."""
    if not claim.submitted_at or claim.status not in lifecycle.OPEN:
        return None
    sent = timezone.localdate(claim.submitted_at)
    recent = selectors.recent_decision_days(claim.benefit_id)
    if recent:
        early, late = sent + timedelta(days=recent[0]), sent + timedelta(days=recent[1])
    else:
        level, nation = claim.benefit.service_level_days, claims.nation_of(claim.customer)
        early = add_working_days(sent, max(1, level * 3 // 5), nation)
        late = add_working_days(sent, level, nation)
    today = timezone.localdate()
    return max(early, today), max(late, today)


# --- The claim page -------------------------------------------------------------------------------


def _claim_for(request: HttpRequest, claim_id: int) -> Claim:
    """The signed-in person's claim with its benefit and customer, in one query; "missing",
    "not yours" and "no customer" (staff) are the same 404."""
    claim = (
        Claim.objects.filter(pk=claim_id, customer__user_id=request.user.pk)
        .select_related("benefit", "customer")
        .first()
    )
    if claim is None:
        raise Http404
    return claim


def claim_etag(claim: Claim, last_event_id: int | None) -> str:
    """What the status panel shows: the status, and the timeline it ends with (a request,
    a document or a statement adds an event without changing the status)."""
    return hashlib.sha256(
        f"{claim.pk}:{claim.updated_at.isoformat()}:{claim.status}:{last_event_id}".encode()
    ).hexdigest()[:16]


def _context(request: HttpRequest, claim: Claim) -> dict:
    prefetch_related_objects(
        [claim],
        Prefetch("events", queryset=ClaimEvent.objects.filter(visible_to_customer=True)),
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
        "next_step": NEXT_STEP[full.status],
        "stages": lifecycle.stages(full.status),
        "waiting_on_you": full.status in WAITING_ON_YOU,
        "expected": expected_decision(full),
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
        "period_words": PERIODS,
        "etag": claim_etag(full, max((e.pk for e in events), default=None)),
        "today": today,
        "evidence_form": EvidenceForm(kinds=list(full.benefit.evidence_needed)),
    }


@never_cache
@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for(request, claim_id)
    if claim.status == S.DRAFT:
        return redirect("claims:apply", claim_id=claim.pk)
    mark_read_for_link(customer=claim.customer, link=request.path)
    return render(request, "benefits/claims/detail.html", _context(request, claim))


@require_GET
@never_cache
@login_required
def claim_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The claim's status panel, for the page to refresh without reloading.

    The page sends the tag of what it shows in If-None-Match; nothing changed → 304 and
    an empty body (htmx then leaves the panel alone)."""
    claim = _claim_for(request, claim_id)
    last_event = claim.events.filter(visible_to_customer=True).aggregate(last=Max("pk"))["last"]
    etag = claim_etag(claim, last_event)
    if request.headers.get("If-None-Match", "").strip('"') == etag:
        response = HttpResponse(status=304)
        response["ETag"] = f'"{etag}"'
        return response
    response = render(request, "benefits/claims/_status.html", _context(request, claim))
    response["ETag"] = f'"{etag}"'
    return response


@login_required
def withdraw(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for(request, claim_id)
    if request.method == "POST":
        try:
            claims.withdraw_claim(
                claim=claim, by=request.user, reason=request.POST.get("reason", "")[:2000]
            )
        except lifecycle.TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("claims:detail", claim_id=claim.pk)
        messages.success(request, _("Your claim has been withdrawn."))
        return redirect("claims:detail", claim_id=claim.pk)
    if claim.status == S.DRAFT or not lifecycle.allowed(claim.status, S.WITHDRAWN):
        messages.error(request, _("This claim can no longer be withdrawn."))
        return redirect("claims:detail", claim_id=claim.pk)
    return render(request, "benefits/claims/withdraw.html", {"claim": claim})


# --- Answering a request for information ------------------------------------------------------


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Your answer"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("You can write an answer, upload a document, or both."),
        error_messages={"max_length": gettext_lazy("Your answer must be 4,000 characters or fewer")},
    )  # fmt: skip


@login_required
def answer_request(request: HttpRequest, claim_id: int, request_id: int) -> HttpResponse:
    claim = _claim_for(request, claim_id)
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
    form = AnswerForm(request.POST or None)
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
                    claims.answer_information_request(
                        request=info, by=request.user, answer=form.cleaned_data["answer"],
                        documents=documents,
                    )  # fmt: skip
                except claims.NothingToSend as exc:
                    form.add_error("answer", str(exc))
                else:
                    messages.success(request, _("Thank you. We have your answer."))
                    return redirect("claims:detail", claim_id=claim.pk)
    return render(
        request, "benefits/claims/answer.html",
        {"claim": claim, "info": info, "form": form, "evidence_form": evidence},
    )  # fmt: skip


@login_required
def add_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    """More documents for a claim that has been sent."""
    claim = _claim_for(request, claim_id)
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


@require_GET
@login_required
def document_file(request: HttpRequest, claim_id: int, document_id: int) -> FileResponse:
    """The person's own document, never by a guessable path: both ids must be theirs."""
    claim = _claim_for(request, claim_id)
    document = Document.objects.filter(claim=claim, pk=document_id).first()
    if document is None:
        raise Http404
    return serve_document(document)


def serve_document(document: Document, *, inline: bool = False) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, as_attachment=not inline,
        filename=document.original_name,
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _money(amount, period: str) -> str:
    return gbp_item(amount, str(PERIODS.get(period, "")))


def build_letter(claim: Claim, decision) -> letters.DecisionLetter:
    """The letter's data, worded in the person's language (amounts, periods and dates too)."""
    language = "cy" if claim.customer.preferred_language == "cy" else "en"
    with translation.override(language):
        return _build_letter(claim, decision, language)


def _build_letter(claim: Claim, decision, language: str) -> letters.DecisionLetter:
    statement = decision.statement
    lines: tuple[letters.LetterLine, ...] = ()
    total = ""
    if statement is not None:
        from decimal import Decimal

        lines = tuple(
            letters.LetterLine(
                label=e["label"],
                amount=_money(Decimal(e["amount"]), e.get("period", statement.period)),
                rule=e.get("rule", ""),
                note=e.get("note", ""),
            )
            for e in statement.elements
        )
        total = _money(statement.amount, statement.period)
    outcome = {"awarded": "awarded", "refused": "refused"}.get(decision.outcome, "reconsidered")
    if decision.outcome == "awarded" and statement is not None:
        headline = _("You will get %(benefit)s of %(amount)s.") % {
            "benefit": claim.benefit.name, "amount": total,
        }  # fmt: skip
    elif decision.outcome == "refused":
        headline = _("You cannot get %(benefit)s.") % {"benefit": claim.benefit.name}
    elif decision.outcome == "revised":
        headline = _("We have changed our decision on your %(benefit)s claim.") % {
            "benefit": claim.benefit.name
        }
    else:
        headline = _("We have not changed our decision on your %(benefit)s claim.") % {
            "benefit": claim.benefit.name
        }
    payments = (
        tuple(
            (date_format(p.due_on, "j F Y"), gbp(p.amount))
            for p in claim.payments.filter(statement=statement, status="scheduled")[:3]
        )
        if statement
        else ()
    )
    customer = claim.customer
    return letters.DecisionLetter(
        agency_name=str(getattr(settings, "PORTAL_NAME", "")),
        customer_name=customer.full_name, address_lines=tuple(customer.address_lines),
        customer_reference=customer.reference, claim_reference=claim.reference or "",
        benefit_name=claim.benefit.name, decided_on=timezone.localdate(decision.decided_at),
        outcome=outcome, headline=headline,
        reasons=tuple(p for p in decision.reasons.splitlines() if p.strip()),
        statement_version=statement.version if statement else None,
        statement_lines=lines, statement_total=total, payments=payments,
        challenge_by=decision.challenge_by,
        language=language,
    )  # fmt: skip


@require_GET
@login_required
def decision_letter(request: HttpRequest, claim_id: int, decision_id: int) -> HttpResponse:
    claim = _claim_for(request, claim_id)
    decision = claim.decisions.select_related("statement").filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    pdf = letters.render_decision_letter(build_letter(claim, decision))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"decision-{claim.reference}-{decision.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
def statement(request: HttpRequest, claim_id: int, version: int) -> HttpResponse:
    claim = _claim_for(request, claim_id)
    found = claim.statements.filter(version=version).first()
    if found is None:
        raise Http404
    latest = claim.statements.order_by("-version").values_list("version", flat=True).first()
    return render(
        request, "benefits/claims/statement.html",
        {"claim": claim, "statement": found, "is_latest": found.version == latest,
         "period_words": PERIODS},
    )  # fmt: skip


# --- Reconsideration ---------------------------------------------------------------------------


class ReconsiderForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you think the decision is wrong?"),
        help_text=gettext_lazy("Tell us what you think we got wrong, and anything we did not know."),
        max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Tell us why you think the decision is wrong"),
            "max_length": gettext_lazy("Your answer must be 4,000 characters or fewer"),
        },
    )  # fmt: skip


@login_required
def reconsider(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim_for(request, claim_id)
    decision = claim.decisions.order_by("-decided_at").first()
    allowed = decision is not None and lifecycle.allowed(claim.status, S.RECONSIDERATION_REQUESTED)
    if not allowed:
        messages.error(request, _("You cannot ask for a reconsideration of this claim."))
        return redirect("claims:detail", claim_id=claim.pk)
    form = ReconsiderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claims.request_reconsideration(
                claim=claim, by=request.user, reason=form.cleaned_data["reason"]
            )
        except (claims.TooLate, claims.ClaimInProgress, lifecycle.TransitionNotAllowed) as exc:
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
