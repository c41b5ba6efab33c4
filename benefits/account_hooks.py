"""What benefits plugs into accounts (see ``accounts.hooks``), registered in ``ready()``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import Customer
from benefits.casework.queue import refresh_priority
from benefits.models import Claim, Document


def describe_claims(customer: Customer, ids: set[int]) -> dict[int, str]:
    claims = (
        Claim.objects.filter(customer=customer, pk__in=ids)
        .select_related("benefit")
        .only("reference", "benefit__name")
    )
    return {
        c.pk: _("A claim: %(benefit)s %(reference)s")
        % {"benefit": c.benefit.name, "reference": c.reference or _("(not sent)")}
        for c in claims
    }


def describe_documents(customer: Customer, ids: set[int]) -> dict[int, str]:
    documents = (
        Document.objects.filter(claim__customer=customer, pk__in=ids)
        .select_related("claim__benefit")
        .only("evidence_kind", "claim__reference", "claim__benefit__name")
    )
    return {
        d.pk: _("A document you sent: %(kind)s, for your %(benefit)s claim %(reference)s")
        % {
            "kind": d.evidence_kind,
            "benefit": d.claim.benefit.name,
            "reference": d.claim.reference or _("(not sent)"),
        }
        for d in documents
    }


def refresh_queue_priority(sender, *, customer: Customer, **kwargs) -> None:

    refresh_priority(customer=customer)
