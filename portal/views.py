"""Pages that belong to the portal as a whole: start page, "Your services", health, errors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET

from accounts import versions
from accounts.acting import acting, representable
from accounts.activity import passive
from accounts.middleware import session_used_mfa
from accounts.selectors import customer_for_user, get_customer_for_request
from benefits.evidence.checks import MAX_UPLOAD_BYTES
from benefits.evidence.uploads import RequestTooLarge
from portal import dashboard, health


@representable()
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html")


def _whose_services(request: HttpRequest):
    """The person "Your services" is about (None for staff), and the representative's
    context when someone acts for them."""
    current = acting(request)
    if current is None:
        return customer_for_user(user=request.user), None
    return get_customer_for_request(request), current


def services_etag(request: HttpRequest) -> str | None:
    """The tag of the "Your services" panel: the person's version, language and date."""
    return versions.etag_for(request, "your-services")


@representable(what=gettext_lazy("Looked at the “Your services” page"))
@login_required
def home(request: HttpRequest) -> HttpResponse:
    etag = services_etag(request)  # before the reads: see accounts.versions
    customer, current = _whose_services(request)
    services = dashboard.your_services(
        customer=customer, today=timezone.localdate(), acting=current
    )
    return render(
        request, "portal/home.html", {"customer": customer, "services": services, "etag": etag}
    )


@representable()
@passive  # polled by the page
@require_GET
@never_cache
@login_required
@condition(etag_func=services_etag)
def home_live(request: HttpRequest) -> HttpResponse:
    """The claims, to-do list and messages on "Your services", refreshed without a reload.

    The page sends the tag it shows in If-None-Match: when nothing changed the answer is a
    304 with no body, decided from the tag alone (no query beyond the session's)."""
    customer, current = _whose_services(request)
    services = dashboard.your_services(
        customer=customer, today=timezone.localdate(), acting=current
    )
    return render(
        request,
        "portal/_services.html",
        {"customer": customer, "services": services, "etag": services_etag(request)},
    )


@representable()
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


PLAIN_TEXT = "text/plain; charset=utf-8"


@representable()
@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type=PLAIN_TEXT)


def _has_health_token(request: HttpRequest) -> bool:
    """A bearer token equal to HEALTH_TOKEN (compared in constant time), over HTTPS when
    the site uses it: a token sent in clear is refused, so monitoring finds out."""
    expected = settings.HEALTH_TOKEN
    if not expected or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and constant_time_compare(given.strip(), expected)


def sees_health_details(request: HttpRequest) -> bool:
    """Host names and exception text are for monitoring (the token) and for staff signed
    in with their second factor, as the admin requires; anyone else gets ok or fail."""
    if _has_health_token(request):
        return True
    user = request.user
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and session_used_mfa(request)
    )


def _health_answer(request: HttpRequest, checks: dict[str, health.Check]) -> HttpResponse:
    if not sees_health_details(request):
        ok = health.passed(health.run_checks(checks, required_only=True))
        return HttpResponse(
            "ok\n" if ok else "fail\n", content_type=PLAIN_TEXT, status=200 if ok else 503
        )
    payload = health.as_json(health.run_checks(checks))
    return JsonResponse(payload, status=200 if payload["status"] == "ok" else 503)


@representable()
@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Whether this web process can serve pages: the database and its migrations."""
    return _health_answer(request, health.READINESS)


@representable()
@require_GET
@never_cache
def healthz_worker(request: HttpRequest) -> HttpResponse:
    """The worker's heartbeat, for staff and monitoring only.

    Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT) and refused over plain HTTP
    instead: a monitor set up with http:// that follows redirects would send its token in
    clear and keep working, so nobody would notice. A 403 makes the mistake visible."""
    if settings.SECURE_SSL_REDIRECT and not request.is_secure():
        return HttpResponse("HTTPS required\n", content_type=PLAIN_TEXT, status=403)
    if not sees_health_details(request):
        response = HttpResponse("unauthorised\n", content_type=PLAIN_TEXT, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="health"'
        return response
    return _health_answer(request, health.WORKER)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestTooLarge):
        return request_too_large(request)
    return render(request, "400.html", status=400)


def request_too_large(request: HttpRequest) -> HttpResponse:
    """413: the file is bigger than we accept. Nothing of it was read or kept."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = referer
    else:
        user = getattr(request, "user", None)
        back = reverse("portal:home" if user and user.is_authenticated else "portal:start")
    return render(
        request,
        "413.html",
        {"back_url": back, "limit_mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=413,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, made without the request: no context processor, session, user,
    database or cache, any of which may be what failed. A template of its own (it does
    not extend base.html, whose header needs them)."""
    html = loader.render_to_string(
        "500.html",
        {
            "PORTAL_NAME": settings.PORTAL_NAME,
            "PORTAL_AGENCY": settings.PORTAL_AGENCY,
            "LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )
    return HttpResponse(html, status=500)
