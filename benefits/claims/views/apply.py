"""Applying online: start page, task list, one question per page, evidence, check and send."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from accounts.acting import Scope, representable, whose
from accounts.kept_answers import keeps_typed_answers, kept_answer
from accounts.reauth import after_reauthentication
from accounts.selectors import get_customer_for_request
from benefits.claims import applications, selectors
from benefits.claims.apply import engine
from benefits.claims.apply.profile import NEEDS_PASSWORD_TO_REPLACE, Offer, profile_offers
from benefits.claims.apply.questions import Question, Section, section_for, sections_for
from benefits.claims.forms import DraftVersionForm, EvidenceForm, upload_into
from benefits.models import Benefit, Claim, ClaimStatus
from benefits.screener import questions as screener_questions
from benefits.screener import state as screener_state


def _posted_version(request: HttpRequest) -> int:
    """The draft version the page was built from. Our pages always send one: a missing
    or nonsense version is a tampered page, answered with 400 (nothing is saved)."""
    form = DraftVersionForm(request.POST)
    if not form.is_valid():
        raise BadRequest("The draft version is missing or is not a version.")
    return form.cleaned_data["version"]


def _draft(request: HttpRequest, claim_id: int) -> Claim:
    return selectors.get_claim_for_customer(whose=whose(request), claim_id=claim_id)


def _not_a_draft(claim: Claim) -> HttpResponse:
    return redirect("claims:detail", claim_id=claim.pk)


# --- Start ------------------------------------------------------------------------------------


@representable(Scope.ACT)
@login_required
def start(request: HttpRequest, benefit_code: str) -> HttpResponse:
    benefit = get_object_or_404(Benefit, code=benefit_code)
    if not benefit.open_for_online_claims:
        return render(request, "benefits/apply/not_online.html", {"benefit": benefit}, status=200)
    customer = get_customer_for_request(request)
    existing = applications.claim_in_progress(customer=customer, benefit=benefit)
    if existing is not None and existing.status != ClaimStatus.DRAFT:
        return _continue_sent_claim(request, existing)
    if request.method == "POST":
        claim = applications.start_or_resume_draft(
            customer=customer, benefit=benefit, by=request.user
        )
        if claim.status != ClaimStatus.DRAFT:  # sent from another tab meanwhile
            return _continue_sent_claim(request, claim)
        if claim.version == 1 and not claim.answers:
            known = engine.known_answers(
                customer=customer,
                benefit_code=benefit.code,
                screener_answers=screener_state.load(request.session)["answers"],
            )
            if known:
                applications.save_draft_answers(
                    claim=claim, answers=engine.prefilled(known), version=claim.version,
                    by=request.user,
                )  # fmt: skip
        return redirect("claims:apply", claim_id=claim.pk)
    return render(request, "benefits/apply/start.html", {"benefit": benefit, "existing": existing})


def _continue_sent_claim(request: HttpRequest, claim: Claim) -> HttpResponse:
    """ "Apply" for a benefit whose claim is already sent continues that claim."""
    messages.info(
        request,
        _("You already have a %(benefit)s claim in progress. This is where it is up to.")
        % {"benefit": claim.benefit.name},
    )
    return redirect("claims:detail", claim_id=claim.pk)


# --- Task list ---------------------------------------------------------------------------------


def _rows(claim: Claim) -> list[dict]:
    rows = []
    checked = set(claim.answers.get("_checked", []))
    known = engine.from_record(claim.answers)
    for number, section in enumerate(sections_for(claim.benefit.code), start=1):
        state = engine.section_state(section, claim.answers)
        relevant = section.relevant(claim.answers)
        all_known = bool(relevant) and all(q.slug in known for q in relevant)
        if state == engine.COMPLETED and section.slug not in checked:
            state = engine.IN_PROGRESS  # filled in for them: they have not looked yet
        first = engine.first_unanswered(section, claim.answers)
        href = (
            reverse("claims:apply_question", args=[claim.pk, section.slug, first.slug])
            if first
            else reverse("claims:apply_section", args=[claim.pk, section.slug])
        )
        rows.append({"number": number, "section": section, "state": state,
                     "label": engine.STATE_LABELS[state], "href": href,
                     "all_known": all_known and section.slug not in checked})  # fmt: skip
    return rows


@representable(Scope.ACT, per_claim=True)
@never_cache
@login_required
def task_list(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _draft(request, claim_id)
    if claim.status != ClaimStatus.DRAFT:
        return _not_a_draft(claim)
    rows = _rows(claim)
    ready = all(row["state"] == engine.COMPLETED for row in rows)
    documents = list(claim.documents.all())
    return render(
        request,
        "benefits/apply/task_list.html",
        {"claim": claim, "rows": rows, "ready": ready, "documents": documents,
         "completed": sum(row["state"] == engine.COMPLETED for row in rows)},
    )  # fmt: skip


# --- Questions -------------------------------------------------------------------------------


def _section_or_404(claim: Claim, slug: str) -> Section:
    section = section_for(claim.benefit.code, slug)
    if section is None:
        raise Http404
    return section


@representable(Scope.ACT, per_claim=True)
@never_cache
@keeps_typed_answers
def question(request: HttpRequest, claim_id: int, section: str, slug: str) -> HttpResponse:
    claim = _draft(request, claim_id)
    if claim.status != ClaimStatus.DRAFT:
        return _not_a_draft(claim)
    sec = _section_or_404(claim, section)
    q = sec.question(slug)
    if q is None or not q.applies(claim.answers):
        raise Http404
    if q.kind in engine.SENSITIVE_KINDS and engine.record_holds(q, customer=claim.customer):
        # Changing the NI number or bank account we hold could divert payments: allauth
        # asks for the password first (and replays a posted answer afterwards).
        return after_reauthentication(request, lambda: _question(request, claim, sec, q))
    return _question(request, claim, sec, q)


def _question(request: HttpRequest, claim: Claim, sec: Section, q: Question) -> HttpResponse:
    back_to = request.GET.get("return") or request.POST.get("return") or ""
    stale = False
    kept = None
    if request.method == "POST":
        form = engine.form_for(q, data=request.POST)
        if form.is_valid():
            version = _posted_version(request)
            try:
                value = engine.to_json(q, form.cleaned_data["answer"])
                claim = applications.save_draft_answers(
                    claim=claim, answers=engine.answer_update(claim.answers, q.slug, value),
                    version=version, by=request.user,
                )  # fmt: skip
            except applications.StaleDraft as exc:
                stale = True
                claim.refresh_from_db()
                form.add_error(None, str(exc))
            else:
                if back_to == "check":
                    # A changed answer can make new questions relevant (a partner's name
                    # and earnings): ask them before going back to check the answers.
                    return _next_for_check(claim)
                following = engine.next_in_section(sec, claim.answers, q)
                if following and back_to != "section":
                    return redirect("claims:apply_question", claim.pk, sec.slug, following.slug)
                return redirect("claims:apply_section", claim_id=claim.pk, section=sec.slug)
    else:
        kept = kept_answer(request)
        if kept is not None:
            form = engine.form_for(q, data=kept)
            form.is_valid()  # show any problem with what was kept
        elif q.kind in engine.SENSITIVE_KINDS:
            form = engine.form_for(q)  # the number we hold is never put back in the page
        else:
            form = engine.form_for(q, initial=engine.from_json(q, claim.answers.get(q.slug)))
    current = claim.answers.get(q.slug)
    return render(
        request,
        "benefits/apply/question.html",
        {"claim": claim, "section": sec, "question": q, "form": form, "kind": q.kind,
         "return": back_to, "stale": stale, "kept": kept is not None,
         "known": q.slug in engine.from_record(claim.answers),
         "sensitive": q.kind in engine.SENSITIVE_KINDS,
         "current": engine.display(q, current) if current is not None else "",
         "back": reverse("claims:apply", args=[claim.pk])},
    )  # fmt: skip


def _next_for_check(claim: Claim) -> HttpResponse:
    for sec in sections_for(claim.benefit.code):
        if missing := engine.first_unanswered(sec, claim.answers):
            url = reverse("claims:apply_question", args=[claim.pk, sec.slug, missing.slug])
            return redirect(f"{url}?return=check")
    return redirect("claims:apply_check", claim_id=claim.pk)


def _summary_rows(claim: Claim, section: Section, back: str) -> list[dict]:
    known = engine.from_record(claim.answers)
    return [
        {
            "question": q,
            "value": engine.display(q, claim.answers.get(q.slug)),
            "answered": q.slug in claim.answers,
            "known": q.slug in known,
            "href": reverse("claims:apply_question", args=[claim.pk, section.slug, q.slug])
            + f"?return={back}",
        }
        for q in section.relevant(claim.answers)
    ]


@representable(Scope.ACT, per_claim=True)
@never_cache
@login_required
def section_summary(request: HttpRequest, claim_id: int, section: str) -> HttpResponse:
    claim = _draft(request, claim_id)
    if claim.status != ClaimStatus.DRAFT:
        return _not_a_draft(claim)
    sec = _section_or_404(claim, section)
    missing = engine.first_unanswered(sec, claim.answers)
    if request.method == "POST":
        if missing:
            return redirect("claims:apply_question", claim.pk, sec.slug, missing.slug)
        checked = sorted({*claim.answers.get("_checked", []), sec.slug})
        version = _posted_version(request)
        try:
            applications.save_draft_answers(
                claim=claim, answers={"_checked": checked}, version=version, by=request.user,
            )  # fmt: skip
        except applications.StaleDraft:
            messages.error(
                request,
                _("These answers were changed in another window. Check them before you continue."),
            )
            return redirect("claims:apply_section", claim_id=claim.pk, section=sec.slug)
        return redirect("claims:apply", claim_id=claim.pk)
    rows = _summary_rows(claim, sec, "section")
    return render(
        request,
        "benefits/apply/section.html",
        {"claim": claim, "section": sec, "rows": rows, "missing": missing,
         "all_known": bool(rows) and all(row["known"] for row in rows)},
    )  # fmt: skip


# --- Evidence -----------------------------------------------------------------------------------


@representable(Scope.ACT, per_claim=True)
@never_cache
@login_required
def evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _draft(request, claim_id)
    if claim.status != ClaimStatus.DRAFT:
        return _not_a_draft(claim)
    kinds = list(claim.benefit.evidence_needed)
    form = EvidenceForm(kinds=kinds)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid() and (document := upload_into(request, claim, form)):
            messages.success(
                request, _("%(name)s has been uploaded.") % {"name": document.original_name}
            )
            return redirect("claims:apply_evidence", claim_id=claim.pk)
    return render(
        request,
        "benefits/apply/evidence.html",
        {"claim": claim, "form": form, "documents": list(claim.documents.all()), "kinds": kinds},
    )


# --- Check and send -----------------------------------------------------------------------------


class DeclarationForm(forms.Form):
    declaration = forms.BooleanField(
        label=gettext_lazy("I confirm that the information I have given is correct and complete."),
        error_messages={
            "required": gettext_lazy("Confirm that the information you have given is correct")
        },
    )


@representable(Scope.ACT, per_claim=True)
@never_cache
@login_required
def check_answers(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _draft(request, claim_id)
    if claim.status != ClaimStatus.DRAFT:
        # A second tab or the back button: the claim was already sent.
        if claim.reference:
            return redirect("claims:sent", claim_id=claim.pk)
        return _not_a_draft(claim)
    # The same test as the task list's: a section filled in for the person counts only
    # once they have marked it completed.
    if not all(row["state"] == engine.COMPLETED for row in _rows(claim)):
        messages.error(request, _("Complete every section before you send your application."))
        return redirect("claims:apply", claim_id=claim.pk)
    # What the rules still lack for this benefit is asked before sending, so the claim
    # can be worked out by the rules rather than by hand.
    needed = engine.rules_still_need(claim, asks=_asks)
    if needed:
        return redirect("claims:apply_more", claim_id=claim.pk, fact=needed[0])
    # Bound on every POST: a post with no fields at all (the token in a header) must
    # still show the declaration's error rather than the page as if nothing was sent.
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            applications.submit_claim(claim=claim, by=request.user)
        except applications.ClaimInProgress as exc:
            messages.error(request, str(exc))
            return redirect("claims:detail", claim_id=exc.claim.pk)
        return redirect("claims:sent", claim_id=claim.pk)
    sections = [
        {"section": s, "rows": _summary_rows(claim, s, "check")}
        for s in sections_for(claim.benefit.code)
    ]
    return render(
        request,
        "benefits/apply/check.html",
        {"claim": claim, "sections": sections, "form": form,
         "documents": list(claim.documents.all())},
    )  # fmt: skip


def _asks(fact: str) -> bool:
    return screener_questions.question_for(fact) is not None


@representable(Scope.ACT, per_claim=True)
@never_cache
@login_required
def more(request: HttpRequest, claim_id: int, fact: str) -> HttpResponse:
    """One thing the rules still need to work out the benefit (a child's sex for the
    bedrooms, how many bedrooms), asked with the screener's own question."""
    claim = _draft(request, claim_id)
    if claim.status != ClaimStatus.DRAFT:
        return _not_a_draft(claim)
    extra = dict(claim.answers.get(engine.MORE_KEY) or {})
    if fact not in extra and fact not in engine.rules_still_need(claim, asks=_asks):
        raise Http404
    found = screener_questions.question_for(fact)
    if found is None:
        raise Http404
    q, fill = found
    initial = screener_questions.from_json(q, extra.get(fact)) if fact in extra else None
    form = screener_questions.form_for(
        q, fill, data=request.POST if request.method == "POST" else None, initial=initial
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        extra[fact] = screener_questions.to_json(q, form.cleaned_data["answer"])
        version = _posted_version(request)
        try:
            applications.save_draft_answers(
                claim=claim, answers={**claim.answers, engine.MORE_KEY: extra},
                version=version, by=request.user,
            )  # fmt: skip
        except applications.StaleDraft as exc:
            stale = True
            claim.refresh_from_db()
            form.add_error(None, str(exc))
        else:
            return redirect("claims:apply_check", claim_id=claim.pk)
    return render(
        request,
        "benefits/apply/more.html",
        {"claim": claim, "form": form, "kind": q.kind, "stale": stale,
         "title": form.fields["answer"].label, "back": reverse("claims:apply", args=[claim.pk])},
    )  # fmt: skip


OFFER_ANSWERED = "apply_profile_offer_answered"


class ProfileUpdateForm(forms.Form):
    """ "Update your profile with these details?", and for each detail the profile holds
    differently, which one is right."""

    update = forms.ChoiceField(
        label=gettext_lazy("Update your profile with these details?"),
        choices=(("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Select yes if we should update your profile")},
    )

    def __init__(self, *args, offers: list[Offer], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offers = offers
        for offer in offers:
            if offer.conflict:
                self.fields[f"keep_{offer.slug}"] = forms.ChoiceField(
                    label=_("Your profile has a different %(what)s. Which is right?")
                    % {"what": offer.label.lower()},
                    choices=(
                        ("application", _("%(value)s (from this application)")
                         % {"value": offer.new.replace("\n", ", ")}),
                        ("profile", _("%(value)s (in your profile)")
                         % {"value": offer.current.replace("\n", ", ")}),
                    ),
                    widget=forms.RadioSelect, required=False,
                )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("update") == "yes":
            for offer in self.offers:
                if offer.conflict and not data.get(f"keep_{offer.slug}"):
                    self.add_error(
                        f"keep_{offer.slug}",
                        forms.ValidationError(
                            _("Select which %(what)s is right") % {"what": offer.label.lower()},
                            code="required",
                        ),
                    )
        return data

    def chosen(self) -> set[str]:
        """The details to write: every new one, and those where the application's is right."""
        return {
            offer.slug
            for offer in self.offers
            if not offer.conflict or self.cleaned_data.get(f"keep_{offer.slug}") == "application"
        }


@representable(Scope.SEE, per_claim=True)
@never_cache
@login_required
def sent(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _draft(request, claim_id)
    if not claim.reference:
        return redirect("claims:apply", claim_id=claim.pk)

    answered = request.session.get(OFFER_ANSWERED, [])
    offers = (
        [] if claim.pk in answered
        else profile_offers(customer=claim.customer, answers=claim.answers)
    )  # fmt: skip
    data = request.POST if request.method == "POST" else None
    form = ProfileUpdateForm(data, offers=offers) if offers else None
    if request.method == "POST" and form is not None and form.is_valid():
        chosen = form.chosen() if form.cleaned_data["update"] == "yes" else set()

        def answer() -> HttpResponse:
            if chosen:
                applications.update_profile_from_claim(claim=claim, by=request.user, slugs=chosen)
                messages.success(request, _("Your profile has been updated."))
            request.session[OFFER_ANSWERED] = [*answered, claim.pk][-20:]
            return redirect("claims:sent", claim_id=claim.pk)

        replacing = {o.slug for o in offers if o.conflict} & chosen
        if replacing & NEEDS_PASSWORD_TO_REPLACE:
            return after_reauthentication(request, answer)
        return answer()
    return render(
        request, "benefits/apply/sent.html",
        {"claim": claim, "expected": selectors.expected_decision(claim),
         "documents": list(claim.documents.all()), "form": form,
         "new_details": [o for o in offers if not o.conflict]},
    )  # fmt: skip
