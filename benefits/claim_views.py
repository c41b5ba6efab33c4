"""The person's claims: where each one is, what happens next, and withdrawing."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import get_customer_for_user
from benefits import claims, lifecycle, selectors
from benefits.models import ClaimStatus

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


@login_required
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    customer = get_customer_for_user(user=request.user)
    claim = selectors.get_claim_for_customer(customer=customer, claim_id=claim_id)
    events = [e for e in claim.events.all() if e.visible_to_customer]
    expected = None
    if claim.submitted_at and claim.status in lifecycle.OPEN:
        expected = claim.submitted_at + timedelta(days=claim.benefit.service_level_days)
    return render(
        request,
        "benefits/claims/detail.html",
        {
            "claim": claim,
            "events": events,
            "next_step": NEXT_STEP[claim.status],
            "waiting_on_you": claim.status in WAITING_ON_YOU,
            "expected": expected,
            "can_withdraw": lifecycle.allowed(claim.status, S.WITHDRAWN),
        },
    )


@login_required
def withdraw(request: HttpRequest, claim_id: int) -> HttpResponse:
    customer = get_customer_for_user(user=request.user)
    claim = selectors.get_claim_for_customer(customer=customer, claim_id=claim_id)
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
    if not lifecycle.allowed(claim.status, S.WITHDRAWN):
        messages.error(request, _("This claim can no longer be withdrawn."))
        return redirect("claims:detail", claim_id=claim.pk)
    return render(request, "benefits/claims/withdraw.html", {"claim": claim})
