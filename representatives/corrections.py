"""Correct my data: "This is wrong" on a fact the person sees, decided by a caseworker.

``SUBJECTS`` names what can be reported wrong: each field of "Your profile", a household
member, and any circumstance we hold (a ``Fact``). For each it says how the page showed it
(kept on the request, so the caseworker reads what the person read) and, where the kind
allows, how a caseworker's correction is recorded through accounts' services: a fact is
corrected by a new assertion beside the old (bitemporal: nothing is overwritten, what we
knew before stays readable), contact details and names through the profile services (their
history kept). Subjects without a way to apply (legal names, NI number, a household member)
are changed by the caseworker on the customer's own admin page, after checking identity,
and the request then records the outcome.

The person's pages link here by URL name only (``{% url 'representatives:correct' 'phone' %}``):
accounts imports nothing of this app.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import services as account_services
from accounts.models import Customer, Fact, FactKind, FactSource, HouseholdMember, User
from notifications.models import NotificationKind
from notifications.services import notify
from representatives.models import CorrectionRequest

Status = CorrectionRequest.Status


class CorrectionRefused(Exception):
    """The outcome cannot be recorded; the message says why, for the caseworker."""


# --- What can be corrected ---------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    code: str
    label: Promise
    #: The URL name of the page the person came from, to go back to.
    back: str
    #: How the page shows it now: a function of the customer and the row (or None).
    shown: Callable[[Customer, Any], str]
    #: Records a caseworker's correction (the corrected value as typed, the date it holds
    #: from) and returns the new fact, if one was recorded. None: corrected by hand.
    apply: Callable[[CorrectionRequest, str, date, User], Fact | None] | None = None
    #: What the caseworker types as the corrected value.
    apply_help: Promise | str = ""
    #: "member" or "fact" when the subject is one row of those.
    row: str = ""


def _personal(customer: Customer, by: User, **changes: Any) -> None:
    details = {
        "legal_given_names": customer.legal_given_names,
        "legal_family_name": customer.legal_family_name,
        "preferred_name": customer.preferred_name,
        "date_of_birth": customer.date_of_birth,
        "ni_number": customer.ni_number or "",
        **changes,
    }
    account_services.update_personal_details(customer=customer, by=by, **details)


def _contact(customer: Customer, by: User, on: date, **changes: str) -> list[Fact]:
    details = {
        "phone": customer.phone,
        "address_line_1": customer.address_line_1,
        "address_line_2": customer.address_line_2,
        "town": customer.town,
        "postcode": customer.postcode,
        **changes,
    }
    return account_services.update_contact_details(
        customer=customer, by=by, effective_from=on, **details
    )


def _parse_date(value: str) -> date:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %B %Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CorrectionRefused(_("Enter the date like 2001-03-27 or 27/03/2001."))


def _apply_preferred_name(request: CorrectionRequest, value: str, on: date, by: User) -> None:
    _personal(request.customer, by, preferred_name=value.strip())


def _apply_date_of_birth(request: CorrectionRequest, value: str, on: date, by: User) -> None:
    _personal(request.customer, by, date_of_birth=_parse_date(value))


def _apply_phone(request: CorrectionRequest, value: str, on: date, by: User) -> Fact | None:
    facts = _contact(request.customer, by, on, phone=value.strip())
    return next((f for f in facts if f.kind == "phone"), None)


def _apply_address(request: CorrectionRequest, value: str, on: date, by: User) -> Fact | None:
    lines = [line.strip() for line in re.split(r"[\n,]+", value) if line.strip()]
    if len(lines) < 3:
        raise CorrectionRefused(
            _("Enter the address on 3 or 4 lines: the first line, the town and the postcode.")
        )
    first, *middle, town, postcode = lines
    facts = _contact(
        request.customer, by, on, address_line_1=first, address_line_2=", ".join(middle),
        town=town, postcode=postcode,
    )  # fmt: skip
    return next((f for f in facts if f.kind == "address"), None)


def _fact_value(text: str) -> Any:
    """What the caseworker typed, as a fact holds it: JSON when it reads as JSON (numbers,
    true/false, lists), else the words."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        return text


#: Kinds the profile shows and changes through its own services (their values also live on
#: Customer): corrected as profile details, never as a bare fact. Caseworkers' own kinds
#: (an NI number to check) are not shown to the person as their circumstances.
NOT_CIRCUMSTANCES = {*account_services.PROFILE_FACT_FIELDS.values(), FactKind.NI_NUMBER_TO_CHECK}


def _apply_fact(request: CorrectionRequest, value: str, on: date, by: User) -> Fact | None:
    wrong = Fact.objects.get(customer=request.customer, pk=request.object_id or 0)
    if wrong.kind in NOT_CIRCUMSTANCES:
        raise CorrectionRefused(
            _("This detail is on the person's profile: change it on their customer record.")
        )
    fact = account_services.record_fact(
        customer=request.customer, kind=wrong.kind, value=_fact_value(value),
        effective_from=on, effective_to=wrong.effective_to, by=by,
        source=FactSource.CASEWORKER,
        note=f"Correction request {request.pk}: {request.what_is_wrong}"[:500],
    )  # fmt: skip
    if fact is None:
        raise CorrectionRefused(_("The record already says this for those dates."))
    return fact


def _shown_fact(customer: Customer, fact: Fact | None) -> str:
    if fact is None:
        return ""
    return f"{fact.kind_label}: {describe_value(fact.value)}"


def describe_value(value: Any) -> str:
    """A fact's value as the person reads it."""
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    if isinstance(value, dict):
        return ", ".join(describe_value(v) for v in value.values() if v not in ("", None, []))
    if isinstance(value, list):
        return ", ".join(describe_value(v) for v in value)
    return "" if value is None else str(value)


def _shown_member(customer: Customer, member: HouseholdMember | None) -> str:
    if member is None:
        return ""
    return (
        f"{member.name} ({member.get_relationship_display()}), {date_format(member.date_of_birth)}"
    )


SUBJECTS: dict[str, Subject] = {
    s.code: s
    for s in (
        Subject("name", _("Name"), "accounts:profile", lambda c, _r: c.full_name),
        Subject(
            "preferred_name",
            _("Preferred name"),
            "accounts:profile",
            lambda c, _r: c.preferred_name,
            _apply_preferred_name,
            _("The name, as it should be."),
        ),
        Subject(
            "date_of_birth",
            _("Date of birth"),
            "accounts:profile",
            lambda c, _r: date_format(c.date_of_birth) if c.date_of_birth else "",
            _apply_date_of_birth,
            _("The date, like 2001-03-27."),
        ),
        Subject(
            "ni_number",
            _("National Insurance number"),
            "accounts:profile",
            lambda c, _r: c.masked_ni_number,
        ),
        Subject(
            "phone",
            _("Phone"),
            "accounts:profile",
            lambda c, _r: c.phone,
            _apply_phone,
            _("The phone number."),
        ),
        Subject(
            "address",
            _("Address"),
            "accounts:profile",
            lambda c, _r: ", ".join(c.address_lines),
            _apply_address,
            _("One line each: first line, (second line,) town, postcode."),
        ),
        Subject(
            "household_member",
            _("Someone in your household"),
            "accounts:household",
            _shown_member,
            row="member",
        ),
        Subject(
            "fact",
            _("Your circumstances"),
            "representatives:circumstances",
            _shown_fact,
            _apply_fact,
            _("The value as the rules read it: a number (1200.50), true or false, or words."),
            row="fact",
        ),
    )
}


def get_subject(code: str) -> Subject:
    subject = SUBJECTS.get(code)
    if subject is None:
        raise Http404
    return subject


# --- Reads ---------------------------------------------------------------------------------


def get_member_for_customer(*, customer: Customer, member_id: int) -> HouseholdMember:
    member = HouseholdMember.objects.filter(customer=customer, pk=member_id).first()
    if member is None:
        raise Http404
    return member


def get_fact_for_customer(*, customer: Customer, fact_id: int) -> Fact:
    fact = Fact.objects.filter(customer=customer, pk=fact_id).first()
    if fact is None:
        raise Http404
    return fact


def corrections_for_customer(*, customer: Customer) -> QuerySet[CorrectionRequest]:
    """The person's requests, open ones first, newest first within each."""
    return CorrectionRequest.objects.filter(customer=customer).order_by(
        _open_first(), "-created_at", "-pk"
    )


def corrections_for_staff(*, customer: Customer, limit: int) -> list[CorrectionRequest]:
    """The 360° page's list: open first (oldest waiting first), then the latest decided."""
    return list(
        CorrectionRequest.objects.filter(customer=customer)
        .select_related("decided_by")
        .order_by(_open_first(), "created_at", "-pk")[:limit]
    )


def _open_first() -> Case:
    return Case(
        When(status=Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


def subject_label(request: CorrectionRequest) -> str:
    subject = SUBJECTS.get(request.subject)
    return str(subject.label) if subject else request.subject


# --- Changes -------------------------------------------------------------------------------

#: A second press of "Send" within this long is the same request.
DOUBLE_SUBMIT = timedelta(minutes=2)


@transaction.atomic(durable=True)
def request_correction(
    *,
    customer: Customer,
    by: User,
    subject: str,
    what_is_wrong: str,
    should_be: str,
    object_id: int | None = None,
) -> CorrectionRequest:
    """The person says ``subject`` (the row ``object_id``) is wrong: a request for a
    caseworker, with what the page showed."""
    chosen = get_subject(subject)
    row: Any = None
    if chosen.row == "member":
        row = get_member_for_customer(customer=customer, member_id=object_id or 0)
    elif chosen.row == "fact":
        row = get_fact_for_customer(customer=customer, fact_id=object_id or 0)
    elif object_id is not None:
        raise ValueError(f"{subject} is about no row")
    Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk").get()
    what_is_wrong, should_be = what_is_wrong.strip(), should_be.strip()
    same = CorrectionRequest.objects.filter(
        customer=customer, subject=subject, object_id=object_id, status=Status.OPEN,
        what_is_wrong=what_is_wrong, should_be=should_be,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT,
    ).first()  # fmt: skip
    if same is not None:
        return same
    return CorrectionRequest.objects.create(
        customer=customer, subject=subject, object_id=object_id,
        shown_value=str(chosen.shown(customer, row) or "")[:1000],
        what_is_wrong=what_is_wrong, should_be=should_be, created_by=by,
    )  # fmt: skip


@transaction.atomic(durable=True)
def decide_correction(
    *,
    request: CorrectionRequest,
    by: User,
    outcome: str,
    reason: str,
    corrected_value: str = "",
    effective_from: date | None = None,
) -> CorrectionRequest:
    """A caseworker's outcome. "corrected" records the corrected value through accounts'
    services where the subject allows (a fact: a new assertion from ``effective_from``);
    either way the person is told, with ``reason``, on their list and by a notification.
    """
    locked = (
        CorrectionRequest.objects.select_for_update().select_related("customer").get(pk=request.pk)
    )
    if locked.status != Status.OPEN:
        raise CorrectionRefused(_("This request has already been decided."))
    if outcome not in (Status.CORRECTED, Status.NOT_CHANGED):
        raise CorrectionRefused(_("Choose what happened."))
    reason = reason.strip()
    if not reason:
        raise CorrectionRefused(_("Say what happened, in words the person will read."))
    subject = SUBJECTS.get(locked.subject)
    fact = None
    if outcome == Status.CORRECTED and subject is not None and subject.apply is not None:
        if not corrected_value.strip():
            raise CorrectionRefused(_("Enter the corrected value to record."))
        on = effective_from or _default_from(locked)
        fact = subject.apply(locked, corrected_value, on, by)
    locked.status = outcome
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.reason = reason
    locked.corrected_value = corrected_value.strip()[:1000]
    locked.corrected_fact = fact
    locked.save(
        update_fields=[
            "status", "decided_at", "decided_by", "reason", "corrected_value", "corrected_fact",
        ]
    )  # fmt: skip
    notify(
        customer=locked.customer, kind=NotificationKind.STATUS,
        title=_("We have looked at your correction request"), body=reason, link=reverse("representatives:corrections"),
    )  # fmt: skip
    return locked


def _default_from(request: CorrectionRequest) -> date:
    """A wrong fact is corrected for the dates it claimed; anything else from today."""
    if request.subject == "fact" and request.object_id:
        wrong = Fact.objects.filter(customer=request.customer, pk=request.object_id).first()
        if wrong is not None:
            return wrong.effective_from
    return timezone.localdate()
