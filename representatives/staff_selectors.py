"""Reads for the staff's 360° page: the person's representatives, consents and correction
requests, each in one query however many rows."""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Case, IntegerField, Q, Value, When

from accounts.models import Customer
from representatives import consents, corrections
from representatives.models import CorrectionRequest, Representation


def representations_for_360(*, customer: Customer) -> list[Representation]:
    """Everyone who acts, acted or was invited to act for the person, active ones first,
    each with the references of the claims it is limited to (``claim_references``, empty
    for every claim): one query."""
    active_first = Case(
        When(status=Representation.Status.ACTIVE, then=Value(0)),
        When(status=Representation.Status.INVITED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    rows: list[Representation] = list(
        Representation.objects.filter(customer=customer)
        .select_related("organisation")
        .annotate(
            claim_references=ArrayAgg(
                "claims__reference", filter=Q(claims__isnull=False), order_by="claims__reference"
            )
        )
        .order_by(active_first, "-created_at", "-pk")
    )
    return rows  # each with ``scope_labels`` (a property of the model)


def consents_for_360(
    *, customer: Customer, representations: list[Representation]
) -> list[consents.ConsentLine]:
    """The person's consent lines, naming representatives from the rows already loaded."""
    names = {"representation": {r.pk: r.name for r in representations}}
    return consents.consents_for_customer(customer=customer, known_names=names)


def corrections_for_360(*, customer: Customer, limit: int) -> list[CorrectionRequest]:
    rows = corrections.corrections_for_staff(customer=customer, limit=limit)
    for row in rows:
        row.subject_label = corrections.subject_label(row)  # type: ignore[attr-defined]
    return rows
