"""The export's sections for records held by accounts, benefits, notifications and this app.

Each collector reads one customer's records with a fixed handful of queries, whatever
their number, and returns what the person may see of them: never a caseworker's internal
note, a claim event kept from the person, a staff member's name (``roles``), or another
person's records. Field by field, the shapes are ``schema.json``'s and
docs/data-export.md explains them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from accounts.access import describe_events as describe_access_events
from accounts.masking import mask_account_number, mask_sort_code
from accounts.models import AccessEvent, BankAccount, Customer, Fact, HouseholdMember
from benefits.models import (
    AwardStatement,
    Claim,
    ClaimEvent,
    Decision,
    Document,
    EventKind,
    InformationRequest,
    Payment,
)
from notifications.models import Delivery, Notification
from representatives.export.registry import (
    Collected,
    file_path,
    register_default,
    register_section,
)
from representatives.export.roles import Roles
from representatives.models import ConsentRecord, Representation, RepresentativeAction

# Claim answers that are bank details: shown as their last digits, as on every page.
_MASKED_ANSWERS = {"sort_code": mask_sort_code, "account_number": mask_account_number}


def profile(customer: Customer) -> Collected:
    """The person's record as it stands, their sign-in's email, and where they are paid."""
    person = Customer.objects.select_related("user").get(pk=customer.pk)
    banks = list(BankAccount.objects.filter(customer=person).order_by("recorded_at", "pk"))
    roles = Roles(person).load(b.recorded_by_id for b in banks)
    return Collected(
        {
            "reference": person.reference,
            "legal_given_names": person.legal_given_names,
            "legal_family_name": person.legal_family_name,
            "preferred_name": person.preferred_name,
            "date_of_birth": person.date_of_birth,
            "ni_number": person.ni_number,
            "email": person.email,
            "phone": person.phone,
            "address": {
                "line_1": person.address_line_1,
                "line_2": person.address_line_2,
                "town": person.town,
                "postcode": person.postcode,
            },
            "preferred_language": person.preferred_language,
            "contact_channels": list(person.contact_channels),
            "accessibility_needs": list(person.accessibility_needs),
            "reasonable_adjustments": person.reasonable_adjustments,
            "needs_extra_support": person.needs_extra_support,
            "sign_in_email": person.user.email if person.user else None,
            "created_at": person.created_at,
            "bank_accounts": [
                {
                    "account_name": bank.account_name,
                    "sort_code": bank.masked_sort_code,
                    "account_number": bank.masked_account_number,
                    "recorded_at": bank.recorded_at,
                    "recorded_by": roles.of(bank.recorded_by_id),
                    "source": bank.source,
                    "in_use": bank is banks[-1],
                }
                for bank in banks
            ],
        }
    )


def household(customer: Customer) -> Collected:
    """The people the person told us live with them (as this person's household only)."""
    members = list(HouseholdMember.objects.filter(customer=customer).order_by("joined_on", "pk"))
    roles = Roles(customer).load(m.recorded_by_id for m in members)
    return Collected(
        [
            {
                "id": m.pk,
                "relationship": m.relationship,
                "name": m.name,
                "date_of_birth": m.date_of_birth,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
                "recorded_at": m.created_at,
                "recorded_by": roles.of(m.recorded_by_id),
            }
            for m in members
        ]
    )


def facts(customer: Customer) -> Collected:
    """Every assertion ever recorded about the person's circumstances, in the order we were
    told: bitemporal, so what was true when (valid from/to) and when we knew it (recorded)."""
    rows = list(Fact.objects.filter(customer=customer).order_by("kind", "recorded_at", "pk"))
    roles = Roles(customer).load(f.recorded_by_id for f in rows)
    return Collected(
        [
            {
                "id": f.pk,
                "kind": f.kind,
                "label": f.kind_label,
                "value": f.value,
                "valid_from": f.effective_from,
                "valid_to": f.effective_to,
                "recorded_at": f.recorded_at,
                "recorded_by": roles.of(f.recorded_by_id),
                "source": f.source,
                "note": f.note,
            }
            for f in rows
        ]
    )


def _answers(answers: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _MASKED_ANSWERS[key](value) if key in _MASKED_ANSWERS and value else value
        for key, value in answers.items()
    }


def claims(customer: Customer) -> Collected:
    """The person's claims with what they answered, the timeline they see (never events
    kept from them, nor internal notes) and our requests for information: three queries."""
    found = list(
        Claim.objects.filter(customer=customer)
        .select_related("benefit")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ClaimEvent.objects.filter(visible_to_customer=True)
                .exclude(kind=EventKind.NOTE)
                .order_by("at", "pk"),
            ),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.order_by("requested_at", "pk"),
            ),
        )
        .order_by("created_at", "pk")
    )
    roles = Roles(customer).load(
        [e.by_id for c in found for e in c.events.all()]
        + [r.requested_by_id for c in found for r in c.information_requests.all()]
    )
    return Collected(
        [
            {
                "id": c.pk,
                "reference": c.reference,
                "benefit": {"code": c.benefit.code, "name": c.benefit.name},
                "status": c.status,
                "created_at": c.created_at,
                "submitted_at": c.submitted_at,
                "decided_at": c.decided_at,
                "answers": _answers(c.answers),
                "timeline": [
                    {
                        "at": e.at,
                        "kind": e.kind,
                        "from_status": e.from_status,
                        "to_status": e.to_status,
                        "reason": e.reason,
                        "by": roles.of(e.by_id),
                    }
                    for e in c.events.all()
                ],
                "information_requests": [
                    {
                        "id": r.pk,
                        "what_is_needed": r.what_is_needed,
                        "due_on": r.due_on,
                        "requested_at": r.requested_at,
                        "requested_by": roles.of(r.requested_by_id),
                        "answer": r.answer,
                        "answered_at": r.answered_at,
                    }
                    for r in c.information_requests.all()
                ],
            }
            for c in found
        ]
    )


def decisions(customer: Customer) -> Collected:
    rows = list(
        Decision.objects.filter(claim__customer=customer)
        .select_related("claim", "statement")
        .order_by("decided_at", "pk")
    )
    roles = Roles(customer).load(d.decided_by_id for d in rows)
    return Collected(
        [
            {
                "id": d.pk,
                "claim_id": d.claim_id,
                "claim_reference": d.claim.reference,
                "outcome": d.outcome,
                "reasons": d.reasons,
                "decided_at": d.decided_at,
                "decided_by": roles.of(d.decided_by_id),
                "reconsideration_by": d.challenge_by,
                "statement_version": d.statement.version if d.statement else None,
            }
            for d in rows
        ]
    )


def statements(customer: Customer) -> Collected:
    rows = list(
        AwardStatement.objects.filter(claim__customer=customer)
        .select_related("claim")
        .order_by("claim_id", "version")
    )
    roles = Roles(customer).load(s.issued_by_id for s in rows)
    return Collected(
        [
            {
                "id": s.pk,
                "claim_id": s.claim_id,
                "claim_reference": s.claim.reference,
                "version": s.version,
                "issued_at": s.issued_at,
                "issued_by": roles.of(s.issued_by_id),
                "effective_from": s.effective_from,
                "amount": s.amount,
                "period": s.period,
                "elements": s.elements,
                "reason": s.reason,
                "adjustment_reason": s.adjustment_reason,
            }
            for s in rows
        ]
    )


def payments(customer: Customer) -> Collected:
    rows = (
        Payment.objects.filter(claim__customer=customer)
        .select_related("claim", "statement")
        .order_by("due_on", "pk")
    )
    return Collected(
        [
            {
                "id": p.pk,
                "claim_id": p.claim_id,
                "claim_reference": p.claim.reference,
                "statement_version": p.statement.version,
                "kind": p.kind,
                "due_on": p.due_on,
                "period_start": p.period_start,
                "period_end": p.period_end,
                "amount": p.amount,
                "status": p.status,
                "paid_at": p.paid_at,
            }
            for p in rows
        ]
    )


def documents(customer: Customer) -> Collected:
    """The evidence the person (or someone for them) sent, with the files themselves."""
    rows = list(
        Document.objects.filter(claim__customer=customer)
        .select_related("claim")
        .order_by("uploaded_at", "pk")
    )
    roles = Roles(customer).load(d.uploaded_by_id for d in rows)
    files = {}
    records = []
    for d in rows:
        path = file_path(f"documents/{d.claim.reference or d.claim_id}", d.pk, d.original_name)
        if d.file:
            files[path] = d.file
        records.append(
            {
                "id": d.pk,
                "claim_id": d.claim_id,
                "claim_reference": d.claim.reference,
                "evidence_kind": d.evidence_kind,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "state": d.state,
                "state_reason": d.state_reason,
                "accepted_by_automated_check": d.automated_check,
                "uploaded_at": d.uploaded_at,
                "uploaded_by": roles.of(d.uploaded_by_id),
                "decided_at": d.decided_at,
                "file": path if d.file else None,
            }
        )
    return Collected(records, files)


def notifications(customer: Customer) -> Collected:
    """What we told the person in the portal, and on which channels it went out."""
    rows = Notification.objects.filter(customer=customer).prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.order_by("pk"))
    )
    return Collected(
        [
            {
                "id": n.pk,
                "kind": n.kind,
                "title": n.title,
                "body": n.body,
                "link": n.link,
                "created_at": n.created_at,
                "read_at": n.read_at,
                "deliveries": [
                    {"channel": d.channel, "status": d.status, "sent_at": d.sent_at}
                    for d in n.deliveries.all()
                ],
            }
            for n in rows.order_by("created_at", "pk")
        ]
    )


def representatives(customer: Customer) -> Collected:
    """Who the person let act for them (or a caseworker recorded), with which scopes, and
    everything each of them looked at or did for the person: four queries."""
    rows = list(
        Representation.objects.filter(customer=customer)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.only("pk", "reference")),
            Prefetch("actions", queryset=RepresentativeAction.objects.order_by("at", "pk")),
        )
        .order_by("created_at", "pk")
    )
    roles = Roles(customer).load([r.created_by_id for r in rows] + [r.ended_by_id for r in rows])
    return Collected(
        [
            {
                "id": r.pk,
                "kind": r.kind,
                "status": r.status,
                "name": r.name,
                "organisation": r.organisation.name if r.organisation else None,
                "invited_email": r.invited_email,
                "scopes": list(r.scopes),
                "only_claims": [c.reference or str(c.pk) for c in r.claims.all()],
                "ends_on": r.ends_on,
                "created_at": r.created_at,
                "created_by": roles.of(r.created_by_id),
                "accepted_at": r.accepted_at,
                "ended_at": r.ended_at,
                "ended_by": roles.of(r.ended_by_id),
                "actions": [
                    {
                        "at": a.at,
                        "kind": a.kind,
                        "what": a.what,
                        "by_name": a.by_name,
                        "page": a.route,
                    }
                    for a in r.actions.all()
                ],
            }
            for r in rows
        ]
    )


def consents(customer: Customer) -> Collected:
    """Every consent record, oldest first: what the person agreed to (or withdrew), for
    which purpose, in which words (the version and the text as shown), on which legal
    basis, with whom, when and until when, and who recorded it (as a role). One query."""
    rows = ConsentRecord.objects.filter(customer=customer).order_by("at", "pk")
    return Collected(
        [
            {
                "id": row.pk,
                "purpose": row.purpose,
                "action": row.action,
                "legal_basis": row.legal_basis,
                "wording_version": row.wording_version,
                "wording": row.wording,
                "party_kind": row.party_kind,
                "party_id": row.party_id,
                "at": row.at,
                "expires_at": row.expires_at,
                "recorded_as": row.recorded_as,
                "note": row.note,
            }
            for row in rows
        ]
    )


def access_log(customer: Customer) -> Collected:
    """Every time staff saw the person's data, as their "Who has looked at your record"
    page says it: when, the role (never the name), and what. The events (one query), then
    one query per kind of record to describe them (``accounts.hooks.ACCESS_DESCRIBERS``)."""
    events = AccessEvent.objects.filter(customer_ids__contains=[customer.pk]).order_by("at", "pk")
    rows = describe_access_events(customer=customer, events=events, show_staff=False)
    return Collected([{"at": row.at, "who": row.who, "what": row.what} for row in rows])


def register() -> None:
    """The sections this app fills (``RepresentativesConfig.ready``)."""
    for name, collect in (
        ("profile", profile),
        ("household", household),
        ("facts", facts),
        ("claims", claims),
        ("decisions", decisions),
        ("statements", statements),
        ("payments", payments),
        ("documents", documents),
        ("notifications", notifications),
        ("representatives", representatives),
        ("access_log", access_log),
    ):
        register_section(name, collect)
    # Until the consent records fill it (they may register before or after this).
    register_default("consents", consents)
