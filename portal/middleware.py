from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from benefits.evidence.uploads import MAX_REQUEST_BYTES, declared_length
from portal.views import request_too_large


class RequestSizeLimitMiddleware:
    """A body declared bigger than any upload we accept is refused before it is read.

    The person gets a page that says what the limit is and links back to the form, rather
    than a reset connection or a form that forgot their file. It must come before anything
    that reads the form (CSRF's check does, in ``process_view``, after every middleware's
    ``__call__``); it comes after the session, language and user, so the page is in the
    person's language with the usual header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_length(request.META) > MAX_REQUEST_BYTES:
            return request_too_large(request)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Say which browser features our pages may use (``settings.PERMISSIONS_POLICY``).

    First in the stack after SecurityMiddleware, so every response carries it: pages,
    redirects, errors, JSON and the static files WhiteNoise serves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


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
