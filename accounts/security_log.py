"""Security events in the ``security`` logger (ASVS 16.3.1, 16.3.2, 16.3.3).

One line per event, ``event=<name>`` followed by ``key=value`` fields, at INFO for what went
as it should and WARNING for refusals and failures. Each record carries ``user_id`` (never
an email), ``client_ip`` (through allauth, which trusts ``X-Forwarded-For`` only from
``TRUSTED_PROXY_COUNT`` proxies, as the rate limits do) and ``request_id``; the console
format (``portal/settings.py LOGGING``) prints them with a UTC timestamp.

What is logged: sign-in (with the factors the session used), a failed sign-in (the typed
identifier as a keyed hash, so attempts on one account can be told apart without writing
the address down; never the password), a sign-in refused by the rate limit, second-factor
successes and failures, re-authentication, sign-out, password and email changes, second
factors added or removed, and refusals: any 403, any 404 to a signed-in person (a scoped
getter answers "not yours" with a 404), and any 429.

The receivers are connected in ``AccountsConfig.ready()``; ``AuthorisationRefusalLogMiddleware``
sits in ``MIDDLEWARE`` after the authentication middleware.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from lib.logs import signed_in_user_id

logger = logging.getLogger("security")


def client_ip(request: HttpRequest | None) -> str:
    """The client's address as the rate limits see it, or ``-``."""
    if request is None:
        return "-"
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No address, or X-Forwarded-For shorter than the trusted proxy count.
        return "-"


def identifier_hash(identifier: str) -> str:
    """A keyed hash of a typed email address: the same for each attempt on one account."""
    return salted_hmac("accounts.security_log", identifier.strip().lower()).hexdigest()[:16]


def _text(value: Any) -> str:
    # Quoted with escapes when it could break the line or the key=value form (16.4.1).
    text = str(value)
    if text and all(c.isalnum() or c in "-_.:/+@" for c in text):
        return text
    return json.dumps(text)


def log_event(
    event: str,
    *,
    request: HttpRequest | None,
    user: Any = None,
    level: int = logging.INFO,
    **fields: Any,
) -> None:
    user_id = getattr(user, "pk", None) or (signed_in_user_id(request) if request else None)
    message = " ".join(
        [f"event={event}"] + [f"{key}={_text(value)}" for key, value in fields.items()]
    )
    logger.log(
        level,
        message,
        extra={
            "event": event,
            "user_id": user_id or "-",
            "client_ip": client_ip(request),
            "request_id": getattr(request, "request_id", "-"),
            **{f"security_{key}": value for key, value in fields.items()},
        },
    )


def _factors(request: HttpRequest, user: Any) -> str:
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, user) if hasattr(request, "session") else []
    names = [
        r["method"] + (f":{r['type']}" if r.get("type") else "")
        for r in records
        if not r.get("reauthenticated")
    ]
    return "+".join(names) or "-"


# --- Receivers ------------------------------------------------------------------------------


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Django's ``user_logged_in``: every way in, the admin's included."""
    if request is None:
        return
    log_event("sign_in", request=request, user=user, factors=_factors(request, user))


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Django's ``user_login_failed``: the credentials arrive with the password masked."""
    typed = credentials.get("email") or credentials.get("username") or ""
    log_event(
        "sign_in_failed",
        request=request,
        level=logging.WARNING,
        login=identifier_hash(str(typed)) if typed else "-",
    )


def sign_in_rate_limited(*, request: HttpRequest | None, login: str) -> None:
    """Called by the sign-in form when allauth's ``login_failed`` limit refuses an attempt."""
    log_event(
        "sign_in_rate_limited",
        request=request,
        level=logging.WARNING,
        login=identifier_hash(login) if login else "-",
    )


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_event("sign_out", request=request, user=user)


def second_factor_used(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    log_event(
        "mfa_passed",
        request=request,
        user=user,
        type=authenticator.type,
        reauthentication=bool(kwargs.get("reauthenticated")),
        passwordless=bool(kwargs.get("passwordless")),
    )


def second_factor_failed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any = None, **kwargs: Any
) -> None:
    log_event(
        "mfa_failed",
        request=request,
        user=user,
        level=logging.WARNING,
        type=getattr(authenticator, "type", "-"),
        reauthentication=bool(kwargs.get("reauthentication")),
    )


def step_completed(
    sender: Any, request: HttpRequest, user: Any, method: str, **kwargs: Any
) -> None:
    """allauth's ``authentication_step_completed``: logged here only when re-authenticating
    (a sign-in is logged once, when it completes)."""
    if kwargs.get("reauthenticated"):
        log_event("reauthenticated", request=request, user=user, method=method)


def account_change(event: str) -> Callable[..., None]:
    """A receiver for allauth's password, email and second-factor change signals."""

    def receiver(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
        authenticator = kwargs.get("authenticator")
        extra = {"type": authenticator.type} if authenticator is not None else {}
        log_event(event, request=request, user=user, **extra)

    receiver.__name__ = f"log_{event}"
    return receiver


class AuthorisationRefusalLogMiddleware:
    """Log refusals (16.3.2): every 403 (CSRF, permissions, the staff MFA gate), every 404
    answered to a signed-in person (another person's id, a citizen in the admin), every
    429. Placed after the authentication middleware, it sees the responses of everything
    inside it, whether a view or a middleware refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status in (403, 429) or (status == 404 and signed_in_user_id(request) is not None):
            match = getattr(request, "resolver_match", None)
            log_event(
                "rate_limited" if status == 429 else "access_refused",
                request=request,
                level=logging.WARNING,
                status=status,
                method=request.method,
                path=request.path,
                view=getattr(match, "view_name", None) or "-",
            )
        return response
