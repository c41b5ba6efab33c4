"""Consent: the purposes we may use or share a person's data for, and what they agreed to.

The registry (``PURPOSES``) says, for each purpose, its title, the exact words shown to the
person (every version kept: a record names the version it was given under), the legal
basis, and whether the person can withdraw it. Records are append-only
(``representatives.models.ConsentRecord``).

**Every path that shares a person's data with someone else asks first**::

    from representatives.consents import has_consent

    if has_consent(customer=customer, purpose="share_with_representatives",
                   party=Party.representation(rep.pk)):
        ...  # send the copy

``has_consent`` reads the latest record at that moment: a withdrawal stops sharing from the
instant it is recorded. For a purpose whose legal basis is not consent (a public task, a
legal obligation) the law is the basis and it answers True; the person is told, and cannot
withdraw it. For representatives' "be told" copies, ``may_tell_representative`` (one) and
``representatives_to_tell`` (a set, one query) say it in their words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, User
from representatives.models import ConsentRecord, LegalBasis, Representation

# --- The registry ------------------------------------------------------------------------


@dataclass(frozen=True)
class Purpose:
    code: str
    title: Promise
    #: Every wording the person may have been shown, oldest first: version n is
    #: ``wordings[n - 1]``. A change of words is a new version, never an edit.
    wordings: tuple[Promise, ...]
    legal_basis: str
    withdrawable: bool
    #: The kind of party each record names ("representation", "partner"), or "" for none.
    party_kind: str = ""
    #: For a purpose not based on consent: why, in plain words.
    explanation: Promise | str = ""

    @property
    def current_version(self) -> int:
        return len(self.wordings)

    def wording(self, version: int) -> str:
        return str(self.wordings[version - 1])

    @property
    def based_on_consent(self) -> bool:
        return self.legal_basis == LegalBasis.CONSENT


REFERRAL = "referral_to_partner"
RESEARCH = "research_contact"
REPRESENTATIVES = "share_with_representatives"
CHECK_WITH_AGENCIES = "check_with_agencies"

PURPOSES: dict[str, Purpose] = {
    p.code: p
    for p in (
        Purpose(
            code=REFERRAL,
            title=_("Tell a partner organisation about me when I ask for a referral"),
            wordings=(
                _(
                    "When you ask us to refer you to a partner organisation, we send them "
                    "your name, how to contact you and what you asked for help with, so they "
                    "can contact you. We send nothing else, and only to the organisation you "
                    "chose."
                ),
            ),
            legal_basis=LegalBasis.CONSENT,
            withdrawable=True,
            party_kind="partner",
        ),
        Purpose(
            code=RESEARCH,
            title=_("Contact me for research about the service"),
            wordings=(
                _(
                    "Our user researchers may contact you by email or phone to ask whether "
                    "you would like to take part in research to improve this service. Taking "
                    "part is up to you and does not affect your claims."
                ),
            ),
            legal_basis=LegalBasis.CONSENT,
            withdrawable=True,
        ),
        Purpose(
            code=REPRESENTATIVES,
            title=_("Share with my representatives as I choose"),
            wordings=(
                _(
                    "The person you chose can see, do and be told what you allowed them to, "
                    "until the end date you chose or until you stop it. They get copies of "
                    "your notifications only if you allowed them to be told."
                ),
            ),
            legal_basis=LegalBasis.CONSENT,
            withdrawable=True,
            party_kind="representation",
        ),
        Purpose(
            code=CHECK_WITH_AGENCIES,
            title=_("Check my details with HMRC and other agencies to work out my claim"),
            wordings=(
                _(
                    "To work out what you can get, we check your details, such as your "
                    "earnings, with HM Revenue and Customs and other government agencies."
                ),
            ),
            legal_basis=LegalBasis.PUBLIC_TASK,
            withdrawable=False,
            explanation=_(
                "This is not based on your consent. The law asks us to pay the right amount "
                "to the right people, and checking details with other agencies is part of "
                "that public task, so you cannot withdraw it. You can ask us to correct "
                "anything we hold that is wrong."
            ),
        ),
    )
}


class UnknownPurpose(KeyError):
    pass


class ConsentRefused(Exception):
    """The request cannot be recorded; the message is for the person."""


class NotWithdrawable(ConsentRefused):
    pass


def get_purpose(code: str) -> Purpose:
    try:
        return PURPOSES[code]
    except KeyError:
        raise UnknownPurpose(code) from None


# --- Parties: whom a purpose shares with ---------------------------------------------------


@dataclass(frozen=True)
class Party:
    """Someone a purpose shares with: a representative, later a partner organisation."""

    kind: str
    id: int

    @classmethod
    def representation(cls, representation_id: int) -> Party:
        return cls("representation", representation_id)

    @classmethod
    def partner(cls, organisation_id: int) -> Party:
        return cls("partner", organisation_id)


def _representation_names(customer: Customer, ids: set[int]) -> dict[int, str]:
    rows = Representation.objects.filter(customer=customer, pk__in=ids).values_list("pk", "name")
    return dict(rows)


#: For each kind of party, how the person's page names them: a function of the customer
#: and the ids that returns, in one query, their names. Apps above fill it in ``ready()``
#: (partners will add "partner").
PARTY_NAMERS: dict[str, Callable[[Customer, set[int]], dict[int, str]]] = {
    "representation": _representation_names,
}


# --- Reading: has the person agreed? -------------------------------------------------------


def _customer_id(customer: Customer | int) -> int:
    return customer if isinstance(customer, int) else customer.pk


def _latest(
    customer: Customer | int, code: str, party: Party | None, on: datetime
) -> ConsentRecord | None:
    return (
        ConsentRecord.objects.filter(
            customer_id=_customer_id(customer),
            purpose=code,
            party_kind=party.kind if party else "",
            party_id=party.id if party else None,
            at__lte=on,
        )
        .order_by("-at", "-pk")
        .first()
    )


def _in_force(record: ConsentRecord | None, on: datetime) -> bool:
    return (
        record is not None
        and record.action == ConsentRecord.Action.GRANTED
        and (record.expires_at is None or record.expires_at > on)
    )


def has_consent(
    *,
    customer: Customer | int,
    purpose: str,
    party: Party | None = None,
    on: datetime | None = None,
) -> bool:
    """Whether ``customer``'s data may be used for ``purpose`` (with ``party``) at ``on``
    (now by default). One query; every sharing path calls it before data leaves.

    A consent-based purpose needs a grant that is the latest record at that moment, not
    withdrawn and not expired. A purpose on another legal basis answers True: the law,
    not a consent, allows it. An unknown purpose raises ``UnknownPurpose``.
    """
    chosen = get_purpose(purpose)
    _check_party(chosen, party)  # a sharing path names whom it shares with
    if not chosen.based_on_consent:
        return True
    on = on or timezone.now()
    return _in_force(_latest(customer, purpose, party, on), on)


def parties_with_consent(
    *,
    customer: Customer | int,
    purpose: str,
    party_kind: str,
    party_ids: Iterable[int],
    on: datetime | None = None,
) -> set[int]:
    """Of ``party_ids``, those ``customer`` agreed to share with for ``purpose`` at ``on``:
    ``has_consent`` for many parties in one query (``DISTINCT ON``)."""
    chosen = PURPOSES.get(purpose)
    if chosen is None:
        raise UnknownPurpose(purpose)
    if party_kind != chosen.party_kind:
        raise ValueError(f"{chosen.code} is about a {chosen.party_kind or 'no party'}")
    ids = set(party_ids)
    if not chosen.based_on_consent or not ids:
        return ids if not chosen.based_on_consent else set()
    on = on or timezone.now()
    latest = (
        ConsentRecord.objects.filter(
            customer_id=_customer_id(customer),
            purpose=purpose,
            party_kind=party_kind,
            party_id__in=ids,
            at__lte=on,
        )
        .order_by("party_id", "-at", "-pk")
        .distinct("party_id")
    )
    return {r.party_id for r in latest if _in_force(r, on) and r.party_id is not None}


def may_tell_representative(
    *, customer: Customer | int, representation_id: int, on: datetime | None = None
) -> bool:
    """Whether a copy of ``customer``'s notification may go to this representative now.

    The representatives' "be told" copies call this (or ``representatives_to_tell`` for
    several) before sending: the person's consent to share with that representative must
    be in force. Their scope ("told") is a separate check, made by the caller.
    """
    return has_consent(
        customer=customer, purpose=REPRESENTATIVES,
        party=Party.representation(representation_id), on=on,
    )  # fmt: skip


def representatives_to_tell(
    *, customer: Customer | int, representation_ids: Iterable[int], on: datetime | None = None
) -> set[int]:
    """Of ``representation_ids``, those whose copies the person's consent allows now."""
    return parties_with_consent(
        customer=customer, purpose=REPRESENTATIVES, party_kind="representation",
        party_ids=representation_ids, on=on,
    )  # fmt: skip


# --- What the person sees ------------------------------------------------------------------


@dataclass
class ConsentLine:
    """One purpose (with one party) as the person's page shows it: its latest record and
    the records before it."""

    purpose: Purpose
    latest: ConsentRecord
    party_name: str = ""
    history: list[ConsentRecord] = field(default_factory=list)
    #: The grant whose words this line shows (the latest grant).
    grant: ConsentRecord | None = None
    in_force: bool = False

    @property
    def can_withdraw(self) -> bool:
        return self.in_force and self.purpose.withdrawable and self.purpose.based_on_consent


def consents_for_customer(
    *,
    customer: Customer,
    on: datetime | None = None,
    known_names: dict[str, dict[int, str]] | None = None,
) -> list[ConsentLine]:
    """Every purpose the person has a record of, newest first: what is in force, what was
    withdrawn or ran out. One query for the records, and one for each kind of party they
    name, unless the caller has the names already (``known_names``: kind → id → name)."""
    on = on or timezone.now()
    records = list(ConsentRecord.objects.filter(customer=customer).order_by("-at", "-pk"))
    lines: dict[tuple[str, str, int | None], ConsentLine] = {}
    for record in records:
        if record.purpose not in PURPOSES:
            continue  # a purpose retired from the registry: kept, not shown
        key = (record.purpose, record.party_kind, record.party_id)
        line = lines.get(key)
        if line is None:
            line = lines[key] = ConsentLine(purpose=PURPOSES[record.purpose], latest=record)
            line.in_force = _in_force(record, on) or not line.purpose.based_on_consent
        line.history.append(record)
        if line.grant is None and record.action == ConsentRecord.Action.GRANTED:
            line.grant = record
    by_kind: dict[str, set[int]] = {}
    for kind, pk in ((k[1], k[2]) for k in lines):
        if kind and pk is not None:
            by_kind.setdefault(kind, set()).add(pk)
    names: dict[tuple[str, int], str] = {}
    for kind, ids in by_kind.items():
        namer = PARTY_NAMERS.get(kind)
        if known_names is not None and kind in known_names:
            names |= {(kind, pk): known_names[kind][pk] for pk in ids if pk in known_names[kind]}
        elif namer is not None:
            names |= {(kind, pk): name for pk, name in namer(customer, ids).items()}
    for (_code, kind, pk), line in lines.items():
        if kind and pk is not None:
            line.party_name = names.get((kind, pk), "")
    return list(lines.values())


def get_grant_for_customer(*, customer: Customer, record_id: int) -> ConsentRecord:
    """One of the person's own consent records; 404 alike for missing and not theirs."""
    from django.http import Http404

    record = ConsentRecord.objects.filter(customer=customer, pk=record_id).first()
    if record is None:
        raise Http404
    return record


# --- Changing: grant and withdraw ----------------------------------------------------------

#: Called with each withdrawal, inside its transaction, by purpose: what must stop with it
#: beyond the sharing ``has_consent`` already refuses (the delegation work may stop a
#: representative whose consent the person withdrew). Filled in by apps in ``ready()``.
ON_WITHDRAWN: dict[str, list[Callable[[ConsentRecord], None]]] = {}


def _recorded_as(customer: Customer, by: User | None) -> str:
    if by is None:
        return ConsentRecord.RecordedAs.SYSTEM
    if by.is_staff:
        return ConsentRecord.RecordedAs.STAFF
    if customer.user_id == by.pk:
        return ConsentRecord.RecordedAs.PERSON
    return ConsentRecord.RecordedAs.REPRESENTATIVE


def _check_party(chosen: Purpose, party: Party | None) -> None:
    if chosen.party_kind and (party is None or party.kind != chosen.party_kind):
        raise ValueError(f"{chosen.code} is about a {chosen.party_kind}: name one")
    if not chosen.party_kind and party is not None:
        raise ValueError(f"{chosen.code} is about no party")


def _lock(customer: Customer) -> None:
    # One person's consents change one at a time: "latest" is then well defined.
    Customer.objects.select_for_update().filter(pk=customer.pk).values_list("pk").get()


@transaction.atomic
def grant_consent(
    *,
    customer: Customer,
    purpose: str,
    by: User | None,
    party: Party | None = None,
    expires_at: datetime | None = None,
    wording_version: int | None = None,
    note: str = "",
) -> ConsentRecord:
    """Record that the person agreed to ``purpose`` (or, for a purpose on another legal
    basis, that they were told), in the words of ``wording_version`` (the current one by
    default), until ``expires_at`` if given.

    Not durable: a representative's invitation or a referral records its consent inside
    its own transaction. Granting what is already in force, in the same words, until the
    same time and with the same note (a representative's scopes), records nothing new and
    returns the grant in force.
    """
    chosen = get_purpose(purpose)
    _check_party(chosen, party)
    version = wording_version or chosen.current_version
    if not 1 <= version <= chosen.current_version:
        raise ValueError(f"{chosen.code} has no wording version {version}")
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ConsentRefused(_("The end of a consent must be in the future."))
    _lock(customer)
    latest = _latest(customer, chosen.code, party, now)
    if (
        _in_force(latest, now)
        and latest is not None
        and (latest.wording_version, latest.expires_at, latest.note)
        == (version, expires_at, note[:500])
    ):
        return latest
    with translation.override(customer.preferred_language or None):
        wording = chosen.wording(version)
    return ConsentRecord.objects.create(
        customer=customer, purpose=chosen.code, action=ConsentRecord.Action.GRANTED,
        legal_basis=chosen.legal_basis, wording_version=version, wording=wording,
        party_kind=party.kind if party else "", party_id=party.id if party else None,
        at=now, expires_at=expires_at, recorded_by=by,
        recorded_as=_recorded_as(customer, by), note=note[:500],
    )  # fmt: skip


@transaction.atomic
def withdraw_consent(
    *,
    customer: Customer,
    purpose: str,
    by: User | None,
    party: Party | None = None,
    note: str = "",
) -> ConsentRecord:
    """Record that the person withdrew ``purpose`` (with ``party``): a new record, from
    this moment ``has_consent`` is False. Not durable: stopping a representative withdraws
    its consent inside its own transaction.

    Refuses (``NotWithdrawable``) a purpose not based on consent. Withdrawing what is not
    in force (withdrawn already, run out) records nothing and returns the latest record,
    so a second press of the button changes nothing.
    """
    chosen = get_purpose(purpose)
    _check_party(chosen, party)
    if not (chosen.withdrawable and chosen.based_on_consent):
        raise NotWithdrawable(_("This is not based on your consent, so it cannot be withdrawn."))
    _lock(customer)
    now = timezone.now()
    latest = _latest(customer, chosen.code, party, now)
    if latest is None:
        raise ConsentRefused(_("You have not agreed to this."))
    if not _in_force(latest, now):
        return latest
    withdrawal = ConsentRecord.objects.create(
        customer=customer, purpose=chosen.code, action=ConsentRecord.Action.WITHDRAWN,
        legal_basis=chosen.legal_basis, wording_version=latest.wording_version,
        wording=latest.wording, party_kind=latest.party_kind, party_id=latest.party_id,
        at=now, recorded_by=by, recorded_as=_recorded_as(customer, by), note=note[:500],
    )  # fmt: skip
    for then in ON_WITHDRAWN.get(chosen.code, ()):
        then(withdrawal)
    return withdrawal


@transaction.atomic(durable=True)
def withdraw_consent_record(*, record: ConsentRecord, by: User) -> ConsentRecord:
    """The person's "Withdraw" button: withdraw the purpose (and party) ``record`` is of."""
    party = Party(record.party_kind, record.party_id) if record.party_id is not None else None
    return withdraw_consent(customer=record.customer, purpose=record.purpose, by=by, party=party)
