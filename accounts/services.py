"""State changes for customers, households and circumstances.

Each public function is one transaction, takes keyword arguments and records who made the
change (``by``: a User, or None for the system).
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import (
    FACT_KIND_RE,
    BankAccount,
    Customer,
    Fact,
    FactKind,
    FactSource,
    HouseholdMember,
    User,
    normalise_nino,
)
from accounts.selectors import current_bank_account, fact_timeline

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U


def new_customer_reference() -> str:
    """A human-friendly reference, random so it says nothing about the row's id."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"C-{chars[:4]}-{chars[4:]}"


def _source_for(by: User | None) -> str:
    if by is None:
        return FactSource.SYSTEM
    return FactSource.CASEWORKER if by.is_staff else FactSource.CITIZEN


def _create_customer(**fields: Any) -> Customer:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Customer.objects.create(reference=new_customer_reference(), **fields)
        except IntegrityError as exc:
            if "reference" not in str(exc):
                raise
    raise RuntimeError("Could not allocate a unique customer reference.")


# Not durable: ``create_customer_for_user`` calls it inside its own transaction.
@transaction.atomic
def create_customer(*, by: User | None, user: User | None = None, **fields: Any) -> Customer:
    """Create a Customer; caseworkers and imports may do so before anyone signs in."""
    if fields.get("ni_number"):
        fields["ni_number"] = normalise_nino(fields["ni_number"])
    else:
        fields["ni_number"] = None
    customer = _create_customer(user=user, **fields)
    today = timezone.localdate()
    initial = {
        FactKind.EMAIL: customer.email,
        FactKind.PHONE: customer.phone,
        FactKind.ADDRESS: _address_value(customer),
        FactKind.LANGUAGE: customer.preferred_language,
        FactKind.CONTACT_CHANNELS: customer.contact_channels,
        FactKind.ACCESSIBILITY: _accessibility_value(customer),
    }
    for kind, value in initial.items():
        if value:
            _record_fact(customer=customer, kind=kind, value=value, effective_from=today, by=by)
    return customer


# Not durable: allauth calls it while saving a new user, inside whatever transaction
# its flow holds.
@transaction.atomic
def create_customer_for_user(*, user: User) -> Customer:
    """Signing up creates the person's Customer (or links one a caseworker made)."""
    existing: Customer | None = getattr(user, "customer", None)  # the reverse one-to-one
    if existing is not None:
        return existing
    return create_customer(by=user, user=user, email=user.email, contact_channels=["email"])


# --- Facts -------------------------------------------------------------------------------


class UnknownFactKind(ValueError):
    pass


_DECIMAL = re.compile(r"\d+\.\d+")
PENCE = Decimal("0.01")


def as_fact_value(value: Any) -> Any:
    """A value as a fact holds it in JSON. Amounts go in as decimal strings with pence
    ("1200.50"), never as floats, so they read back exactly (``Decimal(value)``) and the
    same amount is the same value whichever way it came in. A float that reaches here (an
    import, the admin's JSON box) is kept as the decimal its digits say."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif isinstance(value, str) and _DECIMAL.fullmatch(value):
        value = Decimal(value)
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return str(value.quantize(PENCE) if isinstance(exponent, int) and exponent > -2 else value)
    if isinstance(value, dict):
        return {key: as_fact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_fact_value(item) for item in value]
    return value


def _record_fact(
    *,
    customer: Customer,
    kind: str,
    value: Any,
    effective_from: date,
    by: User | None,
    effective_to: date | None = None,
    source: str | None = None,
    note: str = "",
    recorded_at: datetime | None = None,
) -> Fact | None:
    """Record that ``kind`` is ``value`` from ``effective_from`` (until ``effective_to``,
    open-ended by default). Nothing already recorded changes: the new assertion wins for
    the dates it covers because it is the latest told.

    Returns the new fact, or None when the record already says exactly this for the
    whole period (only for reports made now: a backdated ``recorded_at`` is always
    stored, so a replay of past reports gives the same answers as the originals).
    """
    if not FACT_KIND_RE.match(kind):
        raise UnknownFactKind(kind)
    value = as_fact_value(value)
    # Serialise changes to one customer's facts.
    Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk").get()
    if recorded_at is None and _already_says(customer, kind, value, effective_from, effective_to):
        return None
    return Fact.objects.create(
        customer=customer,
        kind=kind,
        value=value,
        effective_from=effective_from,
        effective_to=effective_to,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=by,
        source=source or _source_for(by),
        note=note,
    )


def record_says(
    *,
    customer: Customer,
    kind: str,
    value: Any,
    effective_from: date,
    effective_to: date | None = None,
) -> bool:
    """Whether, as known now, ``kind`` is ``value`` on every day of the period."""
    return _already_says(customer, kind, as_fact_value(value), effective_from, effective_to)


def _already_says(customer: Customer, kind: str, value: Any, start: date, end: date | None) -> bool:
    """Whether, as known now, ``kind`` is ``value`` on every day from start to end."""
    spans = fact_timeline(customer=customer, kind=kind)
    if value is None:
        return not any(
            s.end is None or s.end > start for s in spans if end is None or s.start < end
        )
    covered = start
    for span in spans:
        if span.end is not None and span.end <= covered:
            continue
        if span.start > covered or span.value != value:
            return False
        if span.end is None:
            return True
        covered = span.end
        if end is not None and covered >= end:
            return True
    return False


# Not durable: journeys, applications, award facts and the screener record facts
# inside their own transactions, as does the fact admin's save.
@transaction.atomic
def record_fact(
    *,
    customer: Customer,
    kind: str,
    value: Any,
    effective_from: date,
    by: User | None,
    effective_to: date | None = None,
    source: str | None = None,
    note: str = "",
    recorded_at: datetime | None = None,
) -> Fact | None:
    return _record_fact(
        customer=customer,
        kind=kind,
        value=value,
        effective_from=effective_from,
        effective_to=effective_to,
        by=by,
        source=source,
        note=note,
        recorded_at=recorded_at,
    )


def _address_value(customer: Customer) -> dict[str, str] | None:
    value = {
        "line_1": customer.address_line_1,
        "line_2": customer.address_line_2,
        "town": customer.town,
        "postcode": customer.postcode,
    }
    return value if any(value.values()) else None


def _accessibility_value(customer: Customer) -> dict[str, Any] | None:
    if not (customer.accessibility_needs or customer.reasonable_adjustments):
        return None
    return {"needs": customer.accessibility_needs, "other": customer.reasonable_adjustments}


# --- Profile -----------------------------------------------------------------------------


# Not durable (nor are the personal details, household and bank account services
# below): a change of circumstances and an application's profile update call them
# inside their own transactions.
@transaction.atomic
def update_contact_details(
    *,
    customer: Customer,
    by: User,
    phone: str,
    address_line_1: str,
    address_line_2: str,
    town: str,
    postcode: str,
    effective_from: date | None = None,
) -> list[Fact]:
    """Change phone and address; each change becomes an effective-dated fact."""
    effective_from = effective_from or timezone.localdate()
    customer.phone = phone.strip()
    customer.address_line_1 = address_line_1.strip()
    customer.address_line_2 = address_line_2.strip()
    customer.town = town.strip()
    customer.postcode = postcode.strip().upper()
    customer.save(
        update_fields=[
            "phone", "address_line_1", "address_line_2", "town", "postcode", "updated_at",
        ]
    )  # fmt: skip
    return record_profile_changes(
        customer=customer, by=by, changed_fields=["phone", "address_line_1"],
        effective_from=effective_from,
    )  # fmt: skip


@transaction.atomic(durable=True)
def update_preferences(
    *,
    customer: Customer,
    by: User,
    preferred_language: str,
    contact_channels: list[str],
    accessibility_needs: list[str],
    reasonable_adjustments: str,
) -> list[Fact]:
    customer.preferred_language = preferred_language
    customer.contact_channels = sorted(set(contact_channels))
    customer.accessibility_needs = sorted(set(accessibility_needs))
    customer.reasonable_adjustments = reasonable_adjustments.strip()
    customer.save(
        update_fields=[
            "preferred_language", "contact_channels", "accessibility_needs",
            "reasonable_adjustments", "updated_at",
        ]
    )  # fmt: skip
    return record_profile_changes(
        customer=customer, by=by,
        changed_fields=["preferred_language", "contact_channels", "accessibility_needs"],
    )  # fmt: skip


@transaction.atomic
def update_personal_details(
    *,
    customer: Customer,
    by: User,
    legal_given_names: str,
    legal_family_name: str,
    preferred_name: str,
    date_of_birth: date | None,
    ni_number: str,
) -> Customer:
    """Names, date of birth and NI number: identity, corrected rather than dated."""
    customer.legal_given_names = legal_given_names.strip()
    customer.legal_family_name = legal_family_name.strip()
    customer.preferred_name = preferred_name.strip()
    customer.date_of_birth = date_of_birth
    nino = normalise_nino(ni_number) or None
    if nino and Customer.objects.filter(ni_number=nino).exclude(pk=customer.pk).exists():
        # Someone else's record has this number. Keep what this person typed for a
        # caseworker to match, and change nothing they could learn from.
        _record_fact(
            customer=customer, kind=FactKind.NI_NUMBER_TO_CHECK, value=nino,
            effective_from=timezone.localdate(), by=by,
            note="Entered by the customer; already on another customer's record",
        )  # fmt: skip
        nino = customer.ni_number
    customer.ni_number = nino
    customer.save(
        update_fields=[
            "legal_given_names", "legal_family_name", "preferred_name", "date_of_birth",
            "ni_number", "updated_at",
        ]
    )  # fmt: skip
    return customer


# Not durable: a receiver of allauth's ``email_changed``, sent inside allauth's flow.
@transaction.atomic
def sync_contact_email(*, user: User, email: str) -> None:
    """The sign-in email changed: the contact email follows, as a dated fact."""
    customer = Customer.objects.filter(user=user).first()
    if customer is None or customer.email == email:
        return
    customer.email = email
    customer.save(update_fields=["email", "updated_at"])
    _record_fact(
        customer=customer, kind=FactKind.EMAIL, value=email,
        effective_from=timezone.localdate(), by=user,
    )  # fmt: skip


# --- Household ---------------------------------------------------------------------------


@transaction.atomic
def add_household_member(
    *,
    customer: Customer,
    by: User | None,
    relationship: str,
    name: str,
    date_of_birth: date,
    joined_on: date,
) -> HouseholdMember:
    member = HouseholdMember.objects.create(
        customer=customer,
        relationship=relationship,
        name=name.strip(),
        date_of_birth=date_of_birth,
        joined_on=joined_on,
        recorded_by=by,
    )
    if relationship == "partner":
        _record_fact(
            customer=customer, kind=FactKind.RELATIONSHIP_STATUS, value="couple",
            effective_from=joined_on, by=by,
        )  # fmt: skip
    return member


@transaction.atomic
def record_member_left(
    *, member: HouseholdMember, by: User | None, left_on: date, status: str = "single"
) -> None:
    """The member no longer lives in the household from ``left_on``. A partner leaving
    changes the relationship status to ``status``: "single" after separating, or
    "living_apart" when a partner who is still a partner lives elsewhere for good (a care
    home). Only "couple" counts as a couple for the rules."""
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    if member.relationship == "partner":
        _record_fact(
            customer=member.customer, kind=FactKind.RELATIONSHIP_STATUS, value=status,
            effective_from=left_on, by=by,
        )  # fmt: skip


PROFILE_FACT_FIELDS = {
    "email": FactKind.EMAIL,
    "phone": FactKind.PHONE,
    "address_line_1": FactKind.ADDRESS,
    "address_line_2": FactKind.ADDRESS,
    "town": FactKind.ADDRESS,
    "postcode": FactKind.ADDRESS,
    "preferred_language": FactKind.LANGUAGE,
    "contact_channels": FactKind.CONTACT_CHANNELS,
    "accessibility_needs": FactKind.ACCESSIBILITY,
    "reasonable_adjustments": FactKind.ACCESSIBILITY,
}


# Not durable: the profile services above call it, and the customer admin's save runs
# inside the admin's transaction.
@transaction.atomic
def record_profile_changes(
    *,
    customer: Customer,
    by: User | None,
    changed_fields: list[str],
    note: str = "",
    effective_from: date | None = None,
) -> list[Fact]:
    """Contact or preference fields on Customer changed: record each as a dated fact.

    The profile pages and the admin both come here, so the facts are built one way.
    """
    values = {
        FactKind.EMAIL: customer.email,
        FactKind.PHONE: customer.phone,
        FactKind.ADDRESS: _address_value(customer),
        FactKind.LANGUAGE: customer.preferred_language,
        FactKind.CONTACT_CHANNELS: customer.contact_channels,
        FactKind.ACCESSIBILITY: _accessibility_value(customer) or {"needs": [], "other": ""},
    }
    kinds = {PROFILE_FACT_FIELDS[f] for f in changed_fields if f in PROFILE_FACT_FIELDS}
    facts = [
        _record_fact(
            customer=customer, kind=kind, value=values[kind],
            effective_from=effective_from or timezone.localdate(), by=by, note=note,
        )
        for kind in sorted(kinds)
    ]  # fmt: skip
    return [fact for fact in facts if fact is not None]


# --- Bank account ------------------------------------------------------------------------


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


@transaction.atomic
def record_bank_account(
    *,
    customer: Customer,
    by: User | None,
    account_name: str,
    sort_code: str,
    account_number: str,
    source: str | None = None,
    note: str = "",
) -> BankAccount | None:
    """Keep the account the person's benefits are paid into, told once for every claim.

    Returns the new row, or None when it is the account already in use. Callers that let
    a person *change* an account they gave before must have asked for their password
    again (allauth's re-authentication); the numbers are never logged.
    """
    Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk").get()
    account_name, sort_code, account_number = (
        account_name.strip(), _digits(sort_code), _digits(account_number),
    )  # fmt: skip
    current = current_bank_account(customer=customer)
    if current is not None and (
        current.account_name,
        current.sort_code,
        current.account_number,
    ) == (account_name, sort_code, account_number):
        return None
    return BankAccount.objects.create(
        customer=customer, account_name=account_name, sort_code=sort_code,
        account_number=account_number, recorded_by=by, source=source or _source_for(by),
        note=note,
    )  # fmt: skip
