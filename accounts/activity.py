"""What counts as a person doing something, for the idle timeout.

A page asks for some things by itself: live panels poll for changes, the timeout warning
checks how long is left. Nobody touched the page, so such a request must not keep the
session alive, or a tab left open would never be signed out. The view that answers it is
marked ``@passive``; ``SessionTimeoutMiddleware`` reads the mark from the route. Every
other request counts, htmx ones included: a boosted link or form is a person's click.

The views decide, not a list of paths: a new poll only needs its view marked, and
``tests/accounts/test_session_activity.py`` finds every poll in the templates and checks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import Resolver404, resolve


def passive[View: Callable](view: View) -> View:
    """Requests to this view are the page's own, and do not count as activity.

    Works in any position among the view's decorators: ``functools.wraps`` copies the mark
    to the wrappers outside it.
    """
    view.passive = True  # type: ignore[attr-defined]
    return view


def is_passive(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "passive", False)
