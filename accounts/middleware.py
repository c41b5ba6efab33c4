"""Sessions that protect people: idle and absolute time limits, and the staff MFA gate."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from accounts.activity import is_passive
from accounts.kept_answers import keep_posted_answer
from accounts.redirects import redirect_to_sign_in

STARTED = "portal_signed_in_at"
LAST_ACTIVITY = "portal_last_activity"


def activity_resolution() -> float:
    """Write the activity time at most this often, so each request does not save the
    session: 30 seconds, or a thirtieth of a shorter idle limit (tests shrink the clock)."""
    return min(30, settings.SESSION_IDLE_TIMEOUT / 30)


def session_deadlines(request: HttpRequest, now: float | None = None) -> tuple[float, float]:
    """Seconds left before the idle limit and before the absolute limit."""
    now = time.time() if now is None else now
    started = request.session.get(STARTED, now)
    last = request.session.get(LAST_ACTIVITY, now)
    return (
        settings.SESSION_IDLE_TIMEOUT - (now - last),
        settings.SESSION_ABSOLUTE_TIMEOUT - (now - started),
    )


def touch(request: HttpRequest, now: float | None = None) -> None:
    request.session[LAST_ACTIVITY] = time.time() if now is None else now


class SessionTimeoutMiddleware:
    """Sign a person out after 15 minutes idle, and after 12 hours whatever they do.

    Only what a person does counts as activity: requests to views marked ``@passive``
    (live panels' polls, the timeout warning's checks) are the page's own and do not, so an
    open tab left alone is signed out like any other (see ``accounts.activity``).

    An htmx request that would be sent to sign in (its session just ended here, or ended
    earlier in another tab) is answered with ``HX-Redirect``: the whole tab goes to the
    sign-in page and comes back to the page it showed, rather than htmx following the
    redirect and putting the sign-in page inside a panel.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if STARTED not in request.session:
                request.session[STARTED] = now
                touch(request, now)
            idle_left, absolute_left = session_deadlines(request, now)
            if idle_left <= 0 or absolute_left <= 0:
                return self._expire(request, idle=idle_left <= 0)
            stale = now - request.session.get(LAST_ACTIVITY, 0) >= activity_resolution()
            if stale and not is_passive(request):
                touch(request, now)
        response = self.get_response(request)
        if _is_htmx(request) and _sends_to_sign_in(response):
            return _send_tab_to_sign_in(request)
        return response

    def _expire(self, request: HttpRequest, *, idle: bool) -> HttpResponse:
        keep = request.method == "POST" and _keeps_typed_answers(request)
        sign_out_with_reason(request, idle=idle)
        if request.path.startswith(reverse("accounts:session_status")):
            return HttpResponse(status=401)
        if _is_htmx(request):
            return _send_tab_to_sign_in(request)
        if keep:
            # An answer typed while the session ran out is kept for after signing in.
            keep_posted_answer(request)
            return redirect_to_sign_in(request, next_url=request.path)
        return redirect_to_sign_in(request)


def _is_htmx(request: HttpRequest) -> bool:
    # django-htmx's middleware comes later in the stack; read the header it reads.
    return request.headers.get("HX-Request") == "true"


def _sends_to_sign_in(response: HttpResponse) -> bool:
    return response.status_code in (301, 302, 303, 307, 308) and urlsplit(
        response.get("Location", "")
    ).path == reverse("account_login")


def _send_tab_to_sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in, then back: to where a boosted link was going, or else to the page the tab
    shows (htmx names it in HX-Current-URL), never to a panel's own address."""
    if request.headers.get("HX-Boosted") == "true" and request.method == "GET":
        return HttpResponseClientRedirect(redirect_to_sign_in(request)["Location"])
    page = request.headers.get("HX-Current-URL", "")
    if url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}):
        parts = urlsplit(page)
        next_url = parts.path + (f"?{parts.query}" if parts.query else "")
    else:
        next_url = ""
    return HttpResponseClientRedirect(redirect_to_sign_in(request, next_url=next_url)["Location"])


def _keeps_typed_answers(request: HttpRequest) -> bool:
    """Whether the view keeps answers posted after the session ended, and the post is
    genuinely the person's own (it passes the CSRF check)."""
    from django.middleware.csrf import CsrfViewMiddleware
    from django.urls import Resolver404, resolve

    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if not getattr(match.func, "keeps_typed_answers", False):
        return False
    csrf = CsrfViewMiddleware(lambda r: HttpResponse())
    return csrf.process_view(request, match.func, match.args, match.kwargs) is None


def sign_out_with_reason(request: HttpRequest, *, idle: bool) -> None:
    logout(request)
    if idle:
        minutes = max(1, settings.SESSION_IDLE_TIMEOUT // 60)
        text = ngettext(
            "You were signed out because you had not done anything for %(n)d minute.",
            "You were signed out because you had not done anything for %(n)d minutes.",
            minutes,
        ) % {"n": minutes}
    else:
        hours = max(1, settings.SESSION_ABSOLUTE_TIMEOUT // 3600)
        text = ngettext(
            "You were signed out because you had been signed in for %(n)d hour.",
            "You were signed out because you had been signed in for %(n)d hours.",
            hours,
        ) % {"n": hours}
    messages.info(request, text + " " + _("Sign in again to continue."))


def session_used_mfa(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class AdminAccessMiddleware:
    """Only staff who signed in with a second factor reach the caseworker workspace.

    A signed-in citizen gets a 404 anywhere under /admin/, as if it did not exist. Staff
    who have not set up MFA, or whose session was not authenticated with it, are shown
    how to put that right. Anonymous visitors go to the (rate-limited) allauth sign-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if request.path.startswith("/admin/") and user.is_authenticated:
            if not (user.is_active and user.is_staff):
                raise Http404
            if not session_used_mfa(request):
                from allauth.mfa.utils import is_mfa_enabled

                return render(
                    request,
                    "accounts/staff_mfa_required.html",
                    {"has_mfa": is_mfa_enabled(user)},
                    status=403,
                )
        return self.get_response(request)


# Where a person who must set up MFA may still go: setting it up, and leaving.
MFA_SETUP_ROUTES = {
    "accounts:security", "accounts:session_status", "accounts:stay_signed_in",
    "accounts:session_ended", "account_logout", "account_reauthenticate", "account_email",
    "account_confirm_email", "account_email_verification_sent", "mfa_index",
    "mfa_activate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes", "mfa_add_webauthn", "mfa_list_webauthn",
    "mfa_reauthenticate", "mfa_reauthenticate_webauthn", "healthz", "readyz", "healthz_worker",
}  # fmt: skip


class RequireMfaForCitizensMiddleware:
    """With MFA_REQUIRED_FOR_CITIZENS on, a citizen sets up a second factor first.

    allauth has no "mandatory" switch; until the person has an authenticator they can
    reach only their account pages (to add one) and sign out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.MFA_REQUIRED_FOR_CITIZENS
            and request.user.is_authenticated
            and not request.user.is_staff
            and not request.path.startswith(settings.STATIC_URL)
            and _route_name(request) not in MFA_SETUP_ROUTES
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(request.user):
                return HttpResponseRedirect(reverse("accounts:security") + "?required=1")
        return self.get_response(request)


def _route_name(request: HttpRequest) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class AccessLogMiddleware:
    """Write the access events a staff request recorded before its response leaves.

    Only staff requests get a buffer (``accounts.access.record_access`` and
    ``record_list`` append to it). Once the view has built the page, the events are
    written with one INSERT; if that fails, the page is thrown away and the staff member
    gets a 503 instead: nobody sees a customer's data without the log saying so. A view
    that raises ``AccessLogUnavailable`` (one that writes its log early, or a staff read
    with no buffer) gets the same 503.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from accounts.access import (
            AccessLogUnavailable,
            flush_access_log,
            note_redirect_after_post,
            start_access_log,
            unavailable_response,
        )

        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return self.get_response(request)
        start_access_log(request)
        response = self.get_response(request)
        note_redirect_after_post(request, response)
        try:
            flush_access_log(request)
        except AccessLogUnavailable:
            # The page (or file) built for this request is dropped unsent. Not closed
            # here: closing a response signals the end of the request to Django.
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from accounts.access import AccessLogUnavailable, unavailable_response

        if isinstance(exception, AccessLogUnavailable):
            return unavailable_response(request)
        return None
