"""Log lines that say when, from where, by whom and in which request (ASVS 16.2.1–16.2.4).

``bind_request`` (called by ``portal.request_middleware.RequestIdMiddleware``) puts the
request's id and client IP in a context variable for the length of the request; the
``RequestContextFilter`` on the console handler copies them, and the signed-in user's id,
onto every record, so ``%(request_id)s``, ``%(client_ip)s`` and ``%(user_id)s`` can be
in the format. A value passed with ``extra=`` wins. Outside a request (Celery tasks,
commands) each is ``-``. ``UTCFormatter`` writes times as ISO 8601 in UTC, so a log does
not jump an hour at each clock change.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FIELDS = ("request_id", "client_ip", "user_id")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    client_ip: str
    request: Any  # the HttpRequest, read only for a user it has already loaded


_current: ContextVar[RequestContext | None] = ContextVar("portal_request", default=None)


def bind_request(*, request: Any, request_id: str, client_ip: str) -> Token[RequestContext | None]:
    return _current.set(RequestContext(request_id=request_id, client_ip=client_ip, request=request))


def unbind_request(token: Token[RequestContext | None]) -> None:
    _current.reset(token)


def signed_in_user_id(request: Any) -> int | str | None:
    """The id of the user the request has already loaded, without loading it.

    ``request.user`` is lazy; reading it from inside logging could run a query, which
    Django would log in turn. The authentication middleware caches the loaded user in
    ``request._cached_user``; before that nobody is known yet.
    """
    user = getattr(request, "_cached_user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get()
        values = {
            "request_id": context.request_id if context else "-",
            "client_ip": context.client_ip if context else "-",
            "user_id": (signed_in_user_id(context.request) if context else None) or "-",
        }
        for name, value in values.items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class UTCFormatter(logging.Formatter):
    """``%(asctime)s`` as ``2026-03-29T01:30:00.123Z``: ISO 8601, UTC, milliseconds."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
