"""Reads for "Your representatives", "People you help" and "What your representatives did"."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Customer, User
from benefits.models import Claim
from representatives.models import Representation, RepresentativeAction
from representatives.services import active_q

#: How many of their representatives' actions the person's page lists at once.
ACTIONS_SHOWN = 50


def representations_for_customer(*, customer: Customer) -> QuerySet[Representation]:
    """The person's representatives and invitations, live ones first, with their claims
    and organisation: two queries."""
    return (
        Representation.objects.filter(customer=customer)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.select_related("benefit").order_by("pk"))
        )
        .order_by("ended_at", "-created_at", "-pk")
    )


def get_representation_for_customer(
    *, customer: Customer, representation_id: int
) -> Representation:
    representation = (
        Representation.objects.filter(pk=representation_id, customer=customer)
        .select_related("organisation", "customer")
        .first()
    )
    if representation is None:
        raise Http404
    return representation


def people_helped(*, user: User) -> QuerySet[Representation]:
    """The people ``user`` may act for today, themself or through an organisation."""
    return (
        Representation.objects.filter(active_q(user=user, today=timezone.localdate()))
        .select_related("customer", "organisation")
        .distinct()
        .order_by("customer__legal_family_name", "customer__legal_given_names", "pk")
    )


def get_helped_for_user(*, user: User, representation_id: int) -> Representation:
    representation = people_helped(user=user).filter(pk=representation_id).first()
    if representation is None:
        raise Http404
    return representation


def actions_for_customer(*, customer: Customer, limit: int = ACTIONS_SHOWN):
    """The newest of what the person's representatives saw and did: one query."""
    return RepresentativeAction.objects.filter(customer=customer).order_by("-at", "-pk")[:limit]


def claims_to_choose(*, customer: Customer) -> list[Claim]:
    return list(
        Claim.objects.filter(customer=customer).select_related("benefit").order_by("-created_at")
    )
