"""The access log: every time staff see a customer's data, an ``AccessEvent`` says so.

What counts as seeing it: a record's page (the admin's change page, the 360° page, a
document served), its history of changes, and every page of a list or of search results
with their details on it (one event per page, naming the rows' ids, their customers and
the search term). Views call ``record_access`` (one record) or ``record_list`` (a page of
rows); admin pages get both through the ``RecordsAccess`` mixin.

When: recording only notes the look on the request, with no query. ``AccessLogMiddleware``
writes all of a request's looks with one INSERT once the view has built the page and
before the response leaves. The log fails closed: if the write fails, or a staff request
has no log to write to, the staff member gets a 503 (``unavailable_response``) instead of
the page, so no personal data leaves unlogged. A view whose look changes something (a
document becomes "seen") writes the log first, with ``flush_access_log``.

The citizen side, ``access_log_page``, reads one page of a customer's events and says in
plain words who looked and at what.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
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
# How long a refused page asks the browser to wait before trying again, in seconds.
RETRY_AFTER = 30

_BUFFER = "_access_log_buffer"
# In the staff member's session: the last look recorded, and where their last POST
# redirected them (so the page coming back is not a second look).
_LAST_LOOK = "_access_last_look"
_BACK_AFTER_POST = "_access_back_after_post"

DETAIL, HISTORY, LIST, SEARCH = (
    AccessEvent.Page.DETAIL, AccessEvent.Page.HISTORY, AccessEvent.Page.LIST,
    AccessEvent.Page.SEARCH,
)  # fmt: skip
_SEARCH_LENGTH = AccessEvent._meta.get_field("search").max_length


class AccessLogUnavailable(Exception):
    """The look could not be logged, so the data must not be shown (a 503)."""


@dataclass(frozen=True)
class Look:
    """One page's worth of a staff member seeing customers' data: an event to write."""

    what: str
    page: str
    view: str
    customer_id: int | None = None
    customer_ids: tuple[int, ...] = ()
    model: str = ""
    object_id: int | None = None
    object_ids: tuple[int, ...] = ()
    search: str = ""


class AccessBuffer:
    """The looks one staff request made, in order, each once."""

    def __init__(self, *, staff: User, back_after_post: bool = False) -> None:
        self.staff = staff
        self.looks: dict[Look, datetime] = {}
        # This GET is the redirect that followed the staff member's own POST.
        self.back_after_post = back_after_post

    def add(self, look: Look) -> None:
        self.looks.setdefault(look, timezone.now())

    def drain(self) -> dict[Look, datetime]:
        looks, self.looks = self.looks, {}
        return looks


def start_access_log(request: HttpRequest) -> None:
    """Give a staff request its buffer (the middleware does this; only staff get one)."""
    session = getattr(request, "session", None)
    back_to = session.pop(_BACK_AFTER_POST, None) if session is not None else None
    back_after_post = request.method == "GET" and back_to == request.path
    setattr(request, _BUFFER, AccessBuffer(staff=request.user, back_after_post=back_after_post))


def _buffer(request: HttpRequest) -> AccessBuffer | None:
    """The request's buffer; None for a request that is not staff's. A staff request
    without one (the middleware missing) may not show anything: it fails closed."""
    buffer: AccessBuffer | None = getattr(request, _BUFFER, None)
    if buffer is None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            raise AccessLogUnavailable(
                "A staff read with no access log to record it in: is "
                "accounts.middleware.AccessLogMiddleware in MIDDLEWARE?"
            )
    return buffer


def _view_name(request: HttpRequest) -> str:
    match = request.resolver_match
    return (match.view_name if match else request.path)[:100]


def record_access(
    request: HttpRequest,
    *,
    customer_id: int,
    what: str,
    object_id: int | None = None,
    page: str = DETAIL,
    model: str = "",
) -> None:
    """Note that this request shows one customer's record (or its history) to the staff
    member making it.

    ``what`` is one of ``AccessEvent.What`` ("customer", "claim", "document",
    "customer_360"); ``object_id`` the id of the row shown, ``model`` its label
    ("benefits.claim"); ``page`` DETAIL or HISTORY. Runs no query: the event is written
    before the response leaves, by ``AccessLogMiddleware``. Calling it twice for the same
    thing in one request records it once. The view name recorded is the route's.
    """
    what = AccessEvent.What(what).value  # an unknown kind is a bug: fail loudly
    if AccessEvent.Page(page) not in (DETAIL, HISTORY):
        raise ValueError("A page of a list is recorded with record_list.")
    buffer = _buffer(request)
    if buffer is None:
        return
    look = Look(
        what=what, page=str(page), view=_view_name(request), customer_id=customer_id,
        customer_ids=(customer_id,), model=model, object_id=object_id,
    )  # fmt: skip
    key = [customer_id, what, object_id, look.view]
    session = getattr(request, "session", None)
    if session is not None:
        if buffer.back_after_post and session.get(_LAST_LOOK) == key:
            # The page coming back after the staff member acted on it (a casework button,
            # "save and continue": POST, then a redirect to the page they were on). Their
            # look was recorded when they opened it; recording it again listed every look
            # twice in the citizen's log.
            return
        session[_LAST_LOOK] = key
    buffer.add(look)


def record_list(
    request: HttpRequest,
    *,
    what: str,
    model: str,
    object_ids: Sequence[int],
    customer_ids: Iterable[int | None],
    search: str = "",
) -> None:
    """Note that this request shows a page of rows: ``object_ids`` (in the page's order)
    of ``model``, belonging to ``customer_ids``, found by ``search`` if one was typed.

    One event for the page, whatever its length, and no query. Every customer on it sees
    the event in their own log, without the others or the search term.
    """
    what = AccessEvent.What(what).value
    buffer = _buffer(request)
    if buffer is None:
        return
    search = search.strip()[:_SEARCH_LENGTH]
    buffer.add(
        Look(
            what=what,
            page=SEARCH if search else LIST,
            view=_view_name(request),
            customer_ids=tuple(sorted({c for c in customer_ids if c is not None})),
            model=model,
            object_ids=tuple(object_ids),
            search=search,
        )
    )
    session = getattr(request, "session", None)
    if session is not None and _LAST_LOOK in session:
        # A record opened again after this list is a new look.
        del session[_LAST_LOOK]


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
    """Write the request's looks now, in one INSERT (and one query for the role).

    Raises ``AccessLogUnavailable`` if they cannot be written: the caller must not show
    the data (the middleware answers 503). The failure is logged with the looks.
    """
    buffer: AccessBuffer | None = getattr(request, _BUFFER, None)
    if buffer is None or not buffer.looks:
        return
    looks = buffer.drain()
    try:
        _write(staff=buffer.staff, looks=looks)
    except Exception as exc:
        logger.exception(
            "Could not write %d access events for staff %s (the page was refused): %s",
            len(looks),
            buffer.staff.pk,
            [(look, at.isoformat()) for look, at in looks.items()],
        )
        raise AccessLogUnavailable("The access log could not be written.") from exc


def _write(*, staff: User, looks: dict[Look, datetime]) -> None:
    role = role_of(staff)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            customer_id=look.customer_id,
            customer_ids=list(look.customer_ids),
            staff=staff,
            role=role,
            at=at,
            what=look.what,
            page=look.page,
            model=look.model,
            object_id=look.object_id,
            object_ids=list(look.object_ids),
            search=look.search,
            view=look.view,
        )
        for look, at in looks.items()
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """What a staff member gets instead of a page whose look could not be logged."""
    try:
        response = render(request, "accounts/access_log_unavailable.html", status=503)
    except Exception:  # the page itself failing must not turn into the data being shown
        logger.exception("Could not render the access-log-unavailable page")
        response = HttpResponse(
            _("This page cannot be shown now: we could not record that you opened it."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _context(response: HttpResponse) -> dict[str, Any]:
    return getattr(response, "context_data", None) or {}


class RecordsAccess(_AdminBase):
    """ModelAdmin mixin for a model holding customers' data: each admin page that shows
    it writes one access event.

    - the change page (a GET) and the delete confirmation: the object's customer;
    - the history page (Django's, and django-simple-history's list and past versions);
    - every page of the list, searched or not (the raw-id popups included), an action's
      confirmation page, and the autocomplete's results (``LoggedAutocompleteJsonView``):
      the rows' ids, their customers and the search term.

    Set ``access_customer`` to the path from a row to its customer ("customer", the
    default; "pk" for Customer itself; "claim__customer"; "user__customer"; a reverse
    one-to-one works too), ``access_what`` to the kind the person is told about
    ("customer", "claim", "document") and ``access_list_name`` to how a list of these rows
    reads to them (the model's plural name otherwise). A page of rows costs no query for
    its customers when the path is the row's own column, and one query for the page
    otherwise, never one per row.
    """

    access_what: ClassVar[str] = AccessEvent.What.CUSTOMER
    access_customer: ClassVar[str] = "customer"
    access_list_name: ClassVar[str | Promise | None] = None

    def access_target(self, obj: Any) -> tuple[int, str, int | None] | None:
        """(customer id, what, object id) of a record, or None if it is no customer's."""
        customer_id = self.customer_of(obj)
        if customer_id is None:
            return None
        return customer_id, self.access_what, obj.pk

    def customer_of(self, obj: Any) -> int | None:
        path = self.access_customer
        if path == "pk":
            return obj.pk
        *hops, last = path.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        field = obj._meta.get_field(last)
        if field.concrete:
            return getattr(obj, field.attname)
        try:
            related = getattr(obj, last)  # a reverse one-to-one: an account's customer
        except ObjectDoesNotExist:
            return None
        return related.pk if related is not None else None

    def customers_of(self, rows: Sequence[Any]) -> list[int | None]:
        """The customers of a page of rows: from the rows, or one query for the page."""
        path = self.access_customer
        if path == "pk":
            return [row.pk for row in rows]
        if "__" not in path:
            field = self.model._meta.get_field(path)
            if field.concrete:
                return [getattr(row, field.attname) for row in rows]
        if not rows:
            return []
        return list(
            self.model._default_manager.filter(pk__in=[row.pk for row in rows]).values_list(
                path, flat=True
            )
        )

    def record_record_access(self, request: HttpRequest, obj: Any, *, page: str = DETAIL) -> None:
        target = self.access_target(obj)
        if target is not None:
            customer_id, what, object_id = target
            record_access(
                request, customer_id=customer_id, what=what, object_id=object_id, page=page,
                model=self.model._meta.label_lower,
            )  # fmt: skip

    def record_rows_access(
        self, request: HttpRequest, rows: Iterable[Any], *, search: str = ""
    ) -> None:
        rows = list(rows)
        record_list(
            request, what=self.access_what, model=self.model._meta.label_lower,
            object_ids=[row.pk for row in rows], customer_ids=self.customers_of(rows),
            search=search,
        )  # fmt: skip

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        # Called after the admin's permission checks, with the object it already loaded.
        if change and obj is not None and request.method == "GET":
            self.record_record_access(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = _context(response)
        if (changelist := context.get("cl")) is not None:
            # The page's rows, loaded once: the template iterates the same result list.
            self.record_rows_access(request, changelist.result_list, search=changelist.query)
        elif (chosen := context.get("queryset")) is not None:
            # An action's confirmation page ("delete selected": are you sure?) lists the rows.
            self.record_rows_access(request, chosen)
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        if (obj := _context(response).get("object")) is not None:
            self.record_record_access(request, obj, page=HISTORY)
        return response

    def render_history_view(
        self, request: HttpRequest, template: str, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponse:
        """django-simple-history's history list and past versions render through here."""
        obj = context.get("object") or context.get("original")
        if obj is not None and request.method == "GET":
            self.record_record_access(request, obj, page=HISTORY)
        parent = super()
        return parent.render_history_view(request, template, context, **kwargs)  # type: ignore[attr-defined]

    def render_delete_form(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        # "Are you sure?" shows the record and what would go with it.
        if (obj := context.get("object")) is not None:
            self.record_record_access(request, obj)
        return super().render_delete_form(request, context)


class LoggedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete (a search as staff type in a box): the results from an
    admin that records access are logged as a search page."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if isinstance(self.model_admin, RecordsAccess):
            rows = list(context["object_list"])
            context["object_list"] = rows
            self.model_admin.record_rows_access(self.request, rows, search=self.term)
        return context


def logged_autocomplete_view(site: admin.AdminSite) -> Any:
    """The admin site's ``autocomplete_view``, logging what it finds."""

    def autocomplete_view(request: HttpRequest) -> HttpResponseBase:
        return LoggedAutocompleteJsonView.as_view(admin_site=site)(request)

    return autocomplete_view


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

    Lists and search results the person was on are theirs too (``customer_ids``). A fixed
    number of queries however long the log: count, the page, and at most one each for the
    claims and the documents it mentions (scoped to this customer).
    """
    events = AccessEvent.objects.filter(customer_ids__contains=[customer.pk]).order_by("-at", "-pk")
    if show_staff:
        events = events.select_related("staff")
    result = Paginator(events, PAGE_SIZE).get_page(page)
    result.object_list = describe_events(
        customer=customer, events=list(result.object_list), show_staff=show_staff
    )
    return result


def describe_events(
    *, customer: Customer, events: Iterable[AccessEvent], show_staff: bool
) -> list[AccessRow]:
    """Events as the person reads them on their access log (and in their data export)."""
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
        if event.page in (LIST, SEARCH):
            # Nothing of the other rows, nor what was typed: that may be someone else's.
            text = (
                _("Your details, in search results for %(things)s")
                if event.page == SEARCH
                else _("Your details, in a list of %(things)s")
            )
            what = text % {"things": _list_name(event.model)}
        else:
            what = described.get((event.what, event.object_id)) or str(
                AccessEvent.What(event.what).label
            )
            if event.page == HISTORY:
                what = _("%(what)s (its history of changes)") % {"what": what}
        rows.append(AccessRow(at=event.at, who=who, what=what))
    return rows


def _list_name(label: str) -> str:
    """How a list of ``label``'s rows reads to the person: the admin's
    ``access_list_name``, else the model's plural name."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return _("records")
    model_admin = admin.site._registry.get(model)
    return str(getattr(model_admin, "access_list_name", None) or model._meta.verbose_name_plural)
