"""Request types for annotations."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a ``login_required`` view gets: its user has signed in, so type checkers
    know ``request.user`` is a ``User`` rather than ``User | AnonymousUser``."""

    user: User
