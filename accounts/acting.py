"""Acting for someone: whose records this request is about, and what it may do with them.

A representative (a family member, an appointee, an adviser) switches into "acting for
Priya Shah". From then on each request is about Priya's records, within the scopes she
gave. The representatives app decides who acts for whom (its middleware sets
``request.acting``); every app below it only reads this module, so no lower app imports a
higher one.

Views say what a representative may do with them, the way ``@passive`` says what counts as
activity: ``@representable(Scope.SEE)``. While acting, a request to a view without that
mark is a 404, as if the page did not exist (the default is to refuse), and a view whose
scope was not given is a 404 too. The URL walk (``tests/test_url_access.py``) reads the
marks and tries each page with and without its scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class Scope(models.TextChoices):
    """What a person lets a representative do. Each is asked for and given on its own."""

    SEE = "see", _("See my claims and letters")
    ACT = "act", _("Act on my claims: upload documents, answer requests, report changes")
    TALK = "talk", _("Talk to the agency for me: messages and appointments")
    TOLD = "told", _("Be told: get a copy of my notifications")


#: Scopes that change the person's records: the representative must use two-step sign-in.
SCOPES_NEEDING_MFA = frozenset({Scope.ACT, Scope.TALK})


@dataclass(frozen=True)
class Acting:
    """A representative acting for a person, as the middleware found it on this request."""

    representation_id: int
    customer_id: int
    #: The person helped, as the banner and the timelines name them ("Priya Shah").
    customer_name: str
    #: The representative ("Sam Shah"), or the adviser and their organisation.
    representative_name: str
    scopes: frozenset[str]
    #: The person's own sign-in, if they have one (their panels' versions are kept by it).
    customer_user_id: int | None = None
    #: The claims the person chose, or None for all of them.
    claim_ids: frozenset[int] | None = None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    def may_see_claim(self, claim_id: int | None) -> bool:
        return self.claim_ids is None or claim_id in self.claim_ids


def acting(request: HttpRequest) -> Acting | None:
    """The representative's context on this request, or None when people act for themselves."""
    return getattr(request, "acting", None)


def representable[View: Callable](
    *scopes: str, what: StrOrPromise = "", per_claim: bool = False
) -> Callable[[View], View]:
    """A representative with all these ``scopes`` may use this view for the person.

    ``what`` is how "What your representatives did" names the page or the action
    ("Looked at a claim"); without it the page's name is used. ``@representable()`` with no
    scope marks a page anyone may reach while acting (switching back, the start page).

    A representative the person limited to some claims may use only views marked
    ``per_claim``: pages about one claim, which fetch it through ``Whose`` (and lists that
    filter by it). Pages about the whole record (the household, plans, every notification,
    appointments) are a 404 to them.
    """

    def mark(view: View) -> View:
        view.representable = frozenset(scopes)  # type: ignore[attr-defined]
        view.representable_what = what  # type: ignore[attr-defined]
        view.representable_per_claim = per_claim  # type: ignore[attr-defined]
        return view

    return mark


def per_claim(view: Callable) -> bool:
    """Whether a representative limited to some claims may use this view."""
    return getattr(view, "representable_per_claim", False)


def scopes_of(view: Callable) -> frozenset[str] | None:
    """The scopes a view needs while acting, or None when representatives may not use it."""
    return getattr(view, "representable", None)


@dataclass(frozen=True)
class Whose:
    """Whose records a citizen page may read: the signed-in person's own, or (acting) the
    person they act for, limited to the claims that person chose."""

    user_id: int | None = None
    customer_id: int | None = None
    claim_ids: frozenset[int] | None = None

    def customer_filter(self, to_customer: str = "customer") -> dict:
        """Filters that keep a query to this customer; ``to_customer`` is the path to it."""
        if self.customer_id is not None:
            return {f"{to_customer}_id": self.customer_id}
        if self.user_id is None:  # never "customers with no sign-in"
            return {"pk__in": []}
        return {f"{to_customer}__user_id": self.user_id}

    def claim_filter(self, field: str = "pk") -> dict:
        """Filters that keep a query to the claims it may see; ``field`` names the claim
        from the model queried: "pk" on claims, "claim" on documents."""
        if self.claim_ids is None:
            return {}
        return {f"{field}__in": self.claim_ids}

    def may_see_claim(self, claim_id: int | None) -> bool:
        return self.claim_ids is None or claim_id in self.claim_ids


def whose(request: HttpRequest) -> Whose:
    current = acting(request)
    if current is not None:
        return Whose(customer_id=current.customer_id, claim_ids=current.claim_ids)
    user = getattr(request, "user", None)
    return Whose(user_id=user.pk if user is not None and user.is_authenticated else None)
