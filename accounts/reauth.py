"""Asking for the password again before a sensitive change, decided inside a view.

allauth's ``reauthentication_required`` decorates a whole view. Some views only need it
for some changes (a new National Insurance number, but not a new preferred name; changing
bank details already given, but not giving them the first time), so they call
``after_reauthentication`` with the rest of their work. When the person has not
re-authenticated in the last few minutes, allauth keeps this request (a POST with its
data), asks for the password and then replays it.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.decorators import reauthentication_required
from django.http import HttpRequest, HttpResponse


def after_reauthentication(request: HttpRequest, then: Callable[[], HttpResponse]) -> HttpResponse:
    return reauthentication_required(lambda _request: then())(request)
