"""The access log: every time staff open a customer's data, an ``AccessEvent`` says so.

Staff views call ``record_access`` while they build the page (or, in the admin, use the
``RecordsAccess`` mixin). That only appends to a buffer on the request: no query.
``AccessLogMiddleware`` writes the whole buffer with one INSERT once the response has
been sent, after the transaction commits if one is open, and a failure to write is
logged (with the events, so they can be replayed) without breaking the page.

The citizen side, ``access_log_page``, reads one page of a customer's events and says in
plain words who looked and at what.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator
from django.db import router, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import hooks
from accounts.models import AccessEvent, Customer, User

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _AdminBase = ModelAdmin
else:
    _AdminBase = object

logger = logging.getLogger(__name__)

# Roles for staff in no group: full rights in the admin, or plain staff status.
OPERATOR = "operator"
STAFF = "staff"
PAGE_SIZE = 50

_BUFFER = "_access_log_buffer"
# In the staff member's session: the last look recorded, and where their last POST
# redirected them (so the page coming back is not a second look).
_LAST_LOOK = "_access_last_look"
_BACK_AFTER_POST = "_access_back_after_post"

# (customer_id, what, object_id, view): identical reads in one request are one event.
_Key = tuple[int, str, int | None, str]


class AccessBuffer:
    """The reads one staff request made, in order, each once."""

    def __init__(self, *, staff: User, back_after_post: bool = False) -> None:
        self.staff = staff
        self.events: dict[_Key, datetime] = {}
        # This GET is the redirect that followed the staff member's own POST.
        self.back_after_post = back_after_post

    def add(self, key: _Key) -> None:
        self.events.setdefault(key, timezone.now())

    def drain(self) -> dict[_Key, datetime]:
        events, self.events = self.events, {}
        return events


def start_access_log(request: HttpRequest) -> None:
    """Give a staff request its buffer (the middleware does this; only staff get one)."""
    session = getattr(request, "session", None)
    back_to = session.pop(_BACK_AFTER_POST, None) if session is not None else None
    back_after_post = request.method == "GET" and back_to == request.path
    setattr(request, _BUFFER, AccessBuffer(staff=request.user, back_after_post=back_after_post))


def record_access(
    request: HttpRequest, *, customer_id: int, what: str, object_id: int | None = None
) -> None:
    """Note that this request showed a customer's data to the staff member making it.

    ``what`` is one of ``AccessEvent.What`` ("customer", "claim", "document",
    "customer_360"); ``object_id`` the claim's or document's id. Runs no query: the event
    is written after the response by ``AccessLogMiddleware``. Calling it twice for the
    same thing in one request records it once. The view name recorded is the route's.
    """
    what = AccessEvent.What(what).value  # an unknown kind is a bug: fail loudly
    buffer: AccessBuffer | None = getattr(request, _BUFFER, None)
    if buffer is None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            # A staff read with nowhere to go: the middleware is missing from MIDDLEWARE.
            logger.error(
                "Access not recorded (no AccessLogMiddleware): staff=%s customer=%s what=%s "
                "object=%s",
                user.pk,
                customer_id,
                what,
                object_id,
            )
        return
    match = request.resolver_match
    view = (match.view_name if match else request.path)[:100]
    key = (customer_id, what, object_id, view)
    session = getattr(request, "session", None)
    if session is not None:
        if buffer.back_after_post and session.get(_LAST_LOOK) == list(key):
            # The page coming back after the staff member acted on it (a casework button,
            # "save and continue": POST, then a redirect to the page they were on). Their
            # look was recorded when they opened it; recording it again listed every look
            # twice in the citizen's log.
            return
        session[_LAST_LOOK] = list(key)
    buffer.add(key)


def note_redirect_after_post(request: HttpRequest, response: HttpResponse) -> None:
    """Remember where a staff member's POST sent them back to (the middleware calls this)."""
    session = getattr(request, "session", None)
    if session is None or request.method != "POST" or response.status_code not in (302, 303):
        return
    session[_BACK_AFTER_POST] = urlsplit(response.get("Location", "")).path


def role_of(user: User) -> str:
    """The staff member's role as the log keeps it: their group names ("caseworker",
    "team leader"), else "operator" for a superuser and "staff" for anyone else."""
    names = sorted(user.groups.values_list("name", flat=True))
    if names:
        return ", ".join(names)[: AccessEvent._meta.get_field("role").max_length]
    return OPERATOR if user.is_superuser else STAFF


def flush_access_log(request: HttpRequest) -> None:
    """Write the request's buffered events: after commit inside a transaction, now
    otherwise. Never raises."""
    buffer: AccessBuffer | None = getattr(request, _BUFFER, None)
    if buffer is None or not buffer.events:
        return
    write = partial(_write, staff=buffer.staff, events=buffer.drain())
    try:
        connection = transaction.get_connection(router.db_for_write(AccessEvent))
        if connection.in_atomic_block:
            transaction.on_commit(write, using=connection.alias, robust=True)
        else:
            write()
    except Exception:  # pragma: no cover - on_commit itself failing
        logger.exception("Could not schedule access events for staff %s", buffer.staff.pk)


def _write(*, staff: User, events: dict[_Key, datetime]) -> None:
    try:
        role = role_of(staff)
        AccessEvent.objects.bulk_create(
            AccessEvent(
                customer_id=customer_id,
                staff=staff,
                role=role,
                at=at,
                what=what,
                object_id=object_id,
                view=view,
            )
            for (customer_id, what, object_id, view), at in events.items()
        )
    except Exception:
        # The page has been served; the log line is the record until someone replays it.
        logger.exception(
            "Could not write %d access events for staff %s: %s",
            len(events),
            staff.pk,
            [(*key, at.isoformat()) for key, at in events.items()],
        )


class RecordsAccess(_AdminBase):
    """ModelAdmin mixin: opening an object's change page (a GET) records an access event.

    Define ``access_target(obj)`` returning ``(customer_id, what, object_id)``, or None
    for an object that belongs to no customer. It is called where the admin renders the
    change form, after its permission checks, with the object it already loaded.
    """

    def access_target(self, obj: Any) -> tuple[int, str, int | None] | None:
        raise NotImplementedError("RecordsAccess needs an access_target(obj) method")

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if change and obj is not None and request.method == "GET":
            target = self.access_target(obj)
            if target is not None:
                customer_id, what, object_id = target
                record_access(request, customer_id=customer_id, what=what, object_id=object_id)
        return super().render_change_form(request, context, add, change, form_url, obj)


# The citizen's view of the log.


@dataclass(frozen=True)
class AccessRow:
    at: datetime
    who: str
    what: str


def _who(role: str) -> str:
    known = {
        "caseworker": _("A caseworker"),
        "team leader": _("A team leader"),
        OPERATOR: _("A system administrator"),
        STAFF: _("A member of staff"),
    }
    if role in known:
        return known[role]
    return _("A member of staff (%(role)s)") % {"role": role}


def access_log_page(*, customer: Customer, page: str | None, show_staff: bool) -> Page:
    """One page of the customer's access log, newest first, as ``AccessRow``s.

    A fixed number of queries however long the log: count, the page, and at most one
    each for the claims and the documents it mentions (scoped to this customer).
    """
    events = AccessEvent.objects.filter(customer=customer).order_by("-at", "-pk")
    if show_staff:
        events = events.select_related("staff")
    result = Paginator(events, PAGE_SIZE).get_page(page)
    result.object_list = _describe(
        customer=customer, events=list(result.object_list), show_staff=show_staff
    )
    return result


def _describe(
    *, customer: Customer, events: Iterable[AccessEvent], show_staff: bool
) -> list[AccessRow]:
    events = list(events)
    # What each event looked at, in the person's words: one query per kind, by the app
    # that owns it (``hooks.ACCESS_DESCRIBERS``).
    # Keyed as events are looked up: by kind and object id, which some events lack.
    described: dict[tuple[str, int | None], str] = {}
    for what, describe in hooks.ACCESS_DESCRIBERS.items():
        ids = {e.object_id for e in events if e.what == what and e.object_id is not None}
        if ids:
            described |= {(what, pk): text for pk, text in describe(customer, ids).items()}
    rows = []
    for event in events:
        who = _who(event.role)
        if show_staff:
            who = _("%(role)s: %(name)s") % {"role": who, "name": event.staff.email}
        what = described.get((event.what, event.object_id)) or str(
            AccessEvent.What(event.what).label
        )
        rows.append(AccessRow(at=event.at, who=who, what=what))
    return rows
