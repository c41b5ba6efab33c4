"""The person's own data rights: their consents, and "This is wrong" on what we hold.

These pages are for the person themself: they carry no ``@representable`` mark, so a
representative acting for someone gets a 404 (``accounts.acting``). Every record is fetched
through a scoped getter: another person's id is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import facts_in_force, get_customer_for_request
from representatives import consents, corrections
from representatives.rights_forms import CorrectionForm

# --- Consents ------------------------------------------------------------------------------


@login_required
def consent_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    lines = consents.consents_for_customer(customer=customer)
    return render(
        request,
        "representatives/consents/list.html",
        {
            "customer": customer,
            "current": [line for line in lines if line.in_force],
            "past": [line for line in lines if not line.in_force],
        },
    )


@login_required
def withdraw_consent(request: AuthenticatedHttpRequest, consent_id: int) -> HttpResponse:
    """Withdraw one consent: a page that asks, and a button that does it."""
    customer = get_customer_for_request(request)
    record = consents.get_grant_for_customer(customer=customer, record_id=consent_id)
    line = next(
        (
            line
            for line in consents.consents_for_customer(customer=customer)
            if (line.latest.purpose, line.latest.party_kind, line.latest.party_id)
            == (record.purpose, record.party_kind, record.party_id)
        ),
        None,
    )
    if line is None or not line.can_withdraw:
        # Withdrawn already, run out, or not based on consent: nothing to withdraw.
        messages.info(request, _("There is nothing to withdraw here."))
        return redirect("representatives:consents")
    if request.method == "POST":
        consents.withdraw_consent_record(record=record, by=request.user)
        messages.success(
            request,
            _("You have withdrawn your consent: %(title)s. We will not share for this from now.")
            % {"title": line.purpose.title},
        )
        return redirect("representatives:consents")
    return render(
        request, "representatives/consents/withdraw.html", {"customer": customer, "line": line}
    )


# --- Corrections ---------------------------------------------------------------------------


@login_required
def correction_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = get_customer_for_request(request)
    rows = list(corrections.corrections_for_customer(customer=customer))
    for row in rows:
        row.subject_label = corrections.subject_label(row)  # type: ignore[attr-defined]
    return render(
        request, "representatives/corrections/list.html", {"customer": customer, "rows": rows}
    )


@login_required
def circumstances(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What we hold about the person's circumstances today, each with "This is wrong"."""
    customer = get_customer_for_request(request)
    facts = sorted(
        (
            fact
            for kind, fact in facts_in_force(customer=customer, on=timezone.localdate()).items()
            if kind not in corrections.NOT_CIRCUMSTANCES  # on the profile, with their links
        ),
        key=lambda f: f.kind_label,
    )
    rows = [(fact, corrections.describe_value(fact.value)) for fact in facts]
    return render(
        request,
        "representatives/corrections/circumstances.html",
        {"customer": customer, "rows": rows},
    )


@login_required
def correct(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """ "This is wrong" on one of the profile's details."""
    subject = corrections.get_subject(kind)
    if subject.row:
        return redirect(subject.back)  # a row's correction has its own address
    return _correction_form(request, subject, object_id=None)


@login_required
def correct_member(request: AuthenticatedHttpRequest, member_id: int) -> HttpResponse:
    customer = get_customer_for_request(request)
    corrections.get_member_for_customer(customer=customer, member_id=member_id)
    return _correction_form(request, corrections.SUBJECTS["household_member"], object_id=member_id)


@login_required
def correct_fact(request: AuthenticatedHttpRequest, fact_id: int) -> HttpResponse:
    customer = get_customer_for_request(request)
    corrections.get_fact_for_customer(customer=customer, fact_id=fact_id)
    return _correction_form(request, corrections.SUBJECTS["fact"], object_id=fact_id)


def _correction_form(
    request: AuthenticatedHttpRequest, subject: corrections.Subject, *, object_id: int | None
) -> HttpResponse:
    customer = get_customer_for_request(request)
    row: Any = None
    if subject.row == "member":
        row = corrections.get_member_for_customer(customer=customer, member_id=object_id or 0)
    elif subject.row == "fact":
        row = corrections.get_fact_for_customer(customer=customer, fact_id=object_id or 0)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        corrections.request_correction(
            customer=customer, by=request.user, subject=subject.code, object_id=object_id,
            **form.cleaned_data,
        )  # fmt: skip
        messages.success(
            request,
            _("Thank you. We will check it and tell you what we did. You can follow it on "
              "this page."),
        )  # fmt: skip
        return redirect("representatives:corrections")
    return render(
        request,
        "representatives/corrections/form.html",
        {
            "customer": customer,
            "form": form,
            "subject": subject,
            "shown": subject.shown(customer, row),
            "back": subject.back,
        },
    )
