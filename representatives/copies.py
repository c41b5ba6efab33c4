"""Be told: a representative with the "be told" scope gets a copy of each notification.

Read at the moment of sending, so a scope taken away, a representation stopped or the
person's consent withdrawn stops the copies at once. A representative limited to some claims is told only about those.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.acting import Scope
from accounts.models import Customer
from notifications.models import Notification
from representatives import consents
from representatives.models import Representation


def _claim_of(link: str) -> int | None:
    try:
        match = resolve(link.split("?")[0]) if link else None
    except Resolver404:
        return None
    return match.kwargs.get("claim_id") if match else None


def copies_for(notification: Notification) -> Iterator[tuple[Customer, str]]:
    told = list(
        Representation.objects.filter(
            customer_id=notification.customer_id,
            status=Representation.Status.ACTIVE,
            scopes__contains=[Scope.TOLD.value],
            representative__customer__isnull=False,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
        .select_related("representative__customer", "customer")
        .prefetch_related("claims")
    )
    allowed = (
        consents.representatives_to_tell(
            customer=notification.customer_id, representation_ids=[r.pk for r in told]
        )
        if told
        else set()
    )
    claim_id = None
    for representation in told:
        if representation.pk not in allowed:
            continue  # the person withdrew their consent to share with them
        chosen = {c.pk for c in representation.claims.all()}
        if chosen:
            claim_id = claim_id or _claim_of(notification.link)
            if claim_id not in chosen:
                continue
        person, representative = representation.customer, representation.representative
        if representative is not None:  # always, as filtered above
            yield (
                representative.customer,
                (person.full_name or person.display_name or str(_("someone you help"))),
            )
