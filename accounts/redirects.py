"""Sending a person to sign in, and back to where they were afterwards.

Any app can ask for one stop after the next sign-in (the screener asks whether to keep
answers given before signing in) with ``go_after_sign_in``: a key in the session, so
accounts needs to know nothing about the app. The account adapter honours it once.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

AFTER_SIGN_IN = "after_sign_in"


def redirect_to_sign_in(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    """To sign-in, coming back to ``next_url`` (default: this page, for a GET)."""
    if next_url is None:
        next_url = request.get_full_path() if request.method == "GET" else ""
    query = urlencode({"next": next_url}) if next_url else ""
    return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))


def go_after_sign_in(session, url: str, *, until: float) -> None:
    """After the next sign-in, go to ``url`` first, if that happens before ``until``
    (a Unix time: what is waiting there may not outlive the idle timeout)."""
    session[AFTER_SIGN_IN] = {"url": url, "until": until}


def forget_after_sign_in(session) -> None:
    session.pop(AFTER_SIGN_IN, None)


def after_sign_in(request: HttpRequest) -> str | None:
    """Where an app asked to go after this sign-in, once; None if nothing, expired or
    not a path on this site."""
    wanted = request.session.pop(AFTER_SIGN_IN, None) or {}
    url = wanted.get("url")
    if not url or time.time() > wanted.get("until", 0):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return None
    return url
