"""Sending a person to sign in, and back to where they were afterwards."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


def redirect_to_sign_in(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    """To sign-in, coming back to ``next_url`` (default: this page, for a GET)."""
    if next_url is None:
        next_url = request.get_full_path() if request.method == "GET" else ""
    query = urlencode({"next": next_url}) if next_url else ""
    return HttpResponseRedirect(reverse("account_login") + (f"?{query}" if query else ""))
