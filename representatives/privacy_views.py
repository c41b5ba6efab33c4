"""The privacy page ("How long we keep your information") and closing one's account.

Both read the retention schedule (``accounts.retention``), so what the person is told is
what ``apply_retention`` does. Closing an account is the person's own: it carries no
``@representable`` mark, so a representative acting for them gets a 404.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from accounts.acting import representable
from accounts.http import AuthenticatedHttpRequest
from accounts.retention import LegalBasis, schedule
from accounts.selectors import get_customer_for_request
from representatives.retention import closing


class CloseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that I will not be able to sign in with this account again"),
        error_messages={
            "required": gettext_lazy("Confirm that you understand you will not be able to sign in again")
        },
    )  # fmt: skip


def _schedule_rows() -> list[dict]:
    return [
        {
            "name": rule.name,
            "keep": f"{rule.keep} {rule.after}",
            "then": rule.action_words,
            "includes": rule.includes,
            "basis": rule.basis,
        }
        for rule in schedule()
    ]


@representable()  # public, and linked from every page's footer
def privacy(request: HttpRequest) -> HttpResponse:
    """How long we keep your information, and why: open to everyone, signed in or not."""
    bases = [
        LegalBasis.PUBLIC_TASK,
        LegalBasis.LEGAL_OBLIGATION,
        LegalBasis.YOUR_RIGHTS,
        LegalBasis.SECURITY,
    ]
    return render(
        request,
        "representatives/privacy/privacy.html",
        {"rows": _schedule_rows(), "bases": bases},
    )


@login_required
@reauthentication_required  # closing is final: prove it is the person, not a borrowed phone
def close_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    reasons = closing.reasons_not_to_close(customer=customer)
    form = CloseAccountForm(request.POST if request.method == "POST" and not reasons else None)
    if request.method == "POST" and not reasons and form.is_valid():
        try:
            closing.close_account(customer=customer, by=request.user)
        except closing.AccountCannotClose as refused:
            reasons = refused.reasons  # something changed since the page was shown
        else:
            logout(request)
            return redirect("representatives:account_closed")
    return render(
        request,
        "representatives/privacy/close_account.html",
        {"form": form, "reasons": reasons, "rows": _schedule_rows(), "customer": customer},
        status=409 if reasons and request.method == "POST" else 200,
    )


def account_closed(request: HttpRequest) -> HttpResponse:
    """Where closing lands, signed out: it holds nothing about anyone."""
    return render(request, "representatives/privacy/account_closed.html")
