"""Representatives for tests, made through the real services where a person would."""

from __future__ import annotations

import itertools

from allauth.mfa.totp.internal.auth import TOTP

from accounts.acting import Scope
from accounts.models import Customer, User
from representatives import services
from representatives.models import Representation
from tests.conftest import TOTP_SECRET, make_person

_people = itertools.count(1)


def make_citizen() -> User:
    return make_person(f"person{next(_people)}@example.org")


ALL_SCOPES = [s.value for s in Scope]


def with_mfa(user: User) -> User:
    """Give ``user`` a TOTP authenticator, as allauth keeps it (acting needs two-step sign-in)."""
    if not services.user_has_mfa(user):
        TOTP.activate(user, TOTP_SECRET)
    return user


def invite_and_accept(
    person: User, representative: User, *, scopes=ALL_SCOPES, claims=(), ends_on=None
) -> Representation:
    """``person`` invites ``representative``, who accepts through the real services."""
    _representation, token = services.invite(
        customer=person.customer, by=person, name="Sam Shah", email=representative.email,
        scopes=scopes, claims=claims, ends_on=ends_on,
    )  # fmt: skip
    has_mfa = services.user_has_mfa(representative)
    return services.accept(token=token, by=representative, has_mfa=has_mfa)


def representation_for(customer: Customer | None, *, representative: User | None = None,
                       scopes=ALL_SCOPES) -> Representation:  # fmt: skip
    """An active representation: of ``customer`` (a new person if None) by
    ``representative`` (a new person with MFA if None)."""
    if customer is None:
        customer = make_citizen().customer
    representative = with_mfa(representative or make_citizen())
    return invite_and_accept(customer.user, representative, scopes=scopes)
