from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class PrivatePagesNoStoreMiddleware:
    """Personal pages must never be kept by a browser or a shared cache.

    Any response to a signed-in person, and any page under /admin/, is marked
    ``Cache-Control: no-store`` so the back button on a shared computer shows nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/admin/"):
            add_never_cache_headers(response)
            response["Cache-Control"] += ", no-store, private"
        return response


class StaffOnlyAdminMiddleware:
    """A signed-in citizen gets a 404 anywhere under /admin/, as if it did not exist.

    Django's admin would show a citizen its login page instead, which tells them the
    caseworker workspace is there and invites them to try staff credentials.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/admin/")
            and user is not None
            and user.is_authenticated
            and not user.is_staff
        ):
            raise Http404
        return self.get_response(request)
