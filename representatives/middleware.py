"""Acting for someone, on every request.

The representative's session holds which representation they act under. On every request
the middleware reads it again from the database: a representation the person stopped,
changed or let end no longer applies from the very next request, whatever the session
says. Views say what a representative may do with them (``accounts.acting``): a view
without the mark, or whose scope was not given, is a 404 while acting, as if it did not
exist. What the representative opens and does is written down for the person.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.postgres.aggregates import ArrayAgg
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.acting import Acting, per_claim, scopes_of
from representatives import activity
from representatives.models import Representation
from representatives.services import active_q

#: The session key holding the representation the signed-in person acts under.
SESSION_KEY = "acting_for"

# Not the person's records: the representative's own sign-in pages (allauth) and staff.
EXEMPT_MODULES = ("allauth.", "django.contrib.admin", "django.views.i18n", "django.views.static")


def load(*, representation_id: int, user) -> Acting | None:
    """The representation ``user`` may act under today, as an ``Acting``: one query.

    Never for a staff account: staff see people's records in the workspace, logged."""
    if user.is_staff:
        return None
    row = (
        Representation.objects.filter(active_q(user=user, today=timezone.localdate()))
        .filter(pk=representation_id)
        .annotate(claim_list=ArrayAgg("claims__id", distinct=True, default=[]))
        .values(
            "pk",
            "customer_id",
            "name",
            "kind",
            "scopes",
            "claim_list",
            "organisation__name",
            "customer__legal_given_names",
            "customer__legal_family_name",
            "customer__preferred_name",
            "customer__user_id",
        )
        .first()
    )
    if row is None:
        return None
    claim_ids = frozenset(i for i in row["claim_list"] if i is not None)
    person = " ".join(
        p for p in (row["customer__legal_given_names"], row["customer__legal_family_name"]) if p
    )
    name = row["name"]
    if row["kind"] == Representation.Kind.ORGANISATION:
        name = _("%(adviser)s of %(organisation)s") % {
            "adviser": activity.user_name(user),
            "organisation": row["organisation__name"],
        }
    return Acting(
        representation_id=row["pk"],
        customer_id=row["customer_id"],
        customer_name=person or row["customer__preferred_name"] or _("the person"),
        representative_name=name,
        scopes=frozenset(row["scopes"]),
        customer_user_id=row["customer__user_id"],
        claim_ids=claim_ids or None,
    )


class ActingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.acting = None  # type: ignore[attr-defined]
        representation_id = (
            request.session.get(SESSION_KEY) if request.user.is_authenticated else None
        )
        if representation_id is not None:
            current = load(representation_id=representation_id, user=request.user)
            if current is None:
                # Stopped, changed away or ended since the last request: the person's
                # records are out of reach from now on.
                del request.session[SESSION_KEY]
                messages.warning(request, _("You can no longer act for this person."))
            request.acting = current  # type: ignore[attr-defined]
        response = self.get_response(request)
        log = getattr(request, "_acting_log", None)
        if log is not None and response.status_code < 400:
            activity.record(request, response, *log)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        current = getattr(request, "acting", None)
        if current is None:
            return None
        if view_func.__module__.startswith(EXEMPT_MODULES) or request.path_info.startswith(
            "/admin/"
        ):
            return None
        needed = scopes_of(view_func)
        if needed is None or not needed <= current.scopes:
            raise Http404
        if needed and current.claim_ids is not None and not per_claim(view_func):
            raise Http404  # about the whole record, and they may see only some claims
        logged = bool(needed) or bool(getattr(view_func, "representable_what", ""))
        if logged and not getattr(view_func, "passive", False):
            request._acting_log = (view_func, view_kwargs)  # type: ignore[attr-defined]
        return None
