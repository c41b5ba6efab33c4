"""The outermost middleware: a request id for every request (ASVS 16.2.1, 16.2.4), and no TRACE."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from accounts.security_log import client_ip
from lib.logs import bind_request, unbind_request

# An id from the proxy in front is kept if it is plainly an id: nothing that could break a
# log line or a header, and not so long that it bloats either.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


class RequestIdMiddleware:
    """Give each request an id, put it on every log line, and echo it as ``X-Request-ID``.

    A sane ``X-Request-ID`` from the client or the proxy is kept, so one id follows a
    request from the proxy's log to ours; anything else is replaced by a fresh random id.
    First in ``MIDDLEWARE``, so even redirects and refusals carry it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        inbound = request.headers.get("X-Request-ID", "")
        request_id = inbound if SANE_REQUEST_ID.fullmatch(inbound) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = bind_request(request=request, request_id=request_id, client_ip=client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            unbind_request(token)
        response["X-Request-ID"] = request_id
        return response


class RefuseTraceMiddleware:
    """``TRACE`` and ``TRACK`` are refused with a 405 on every path (ASVS 13.4.4).

    Django hands any method to a function view that does not restrict them, so without
    this ``TRACE /`` answered 200 with the page. Nothing in the portal needs either method.
    """

    REFUSED = frozenset({"TRACE", "TRACK"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method or "").upper() in self.REFUSED:
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        return self.get_response(request)
