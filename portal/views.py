"""Pages that belong to the portal as a whole: start page, "Your services", health, errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_GET

from accounts import versions
from accounts.activity import passive
from accounts.selectors import customer_for_user
from portal import dashboard, health


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html")


def services_etag(request: HttpRequest) -> str | None:
    """The tag of the "Your services" panel: the person's version, language and date."""
    return versions.etag_for(request, "your-services")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    etag = services_etag(request)  # before the reads: see accounts.versions
    customer = customer_for_user(user=request.user)
    services = dashboard.your_services(customer=customer, today=timezone.localdate())
    return render(
        request, "portal/home.html", {"customer": customer, "services": services, "etag": etag}
    )


@passive  # polled by the page
@require_GET
@never_cache
@login_required
@condition(etag_func=services_etag)
def home_live(request: HttpRequest) -> HttpResponse:
    """The claims, to-do list and messages on "Your services", refreshed without a reload.

    The page sends the tag it shows in If-None-Match: when nothing changed the answer is a
    304 with no body, decided from the tag alone (no query beyond the session's)."""
    customer = customer_for_user(user=request.user)
    services = dashboard.your_services(customer=customer, today=timezone.localdate())
    return render(
        request,
        "portal/_services.html",
        {"customer": customer, "services": services, "etag": services_etag(request)},
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    payload = health.as_json(health.run_checks())
    return JsonResponse(payload, status=200 if payload["status"] == "ok" else 503)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors beyond the request: the failure may be in one of them.
    return render(request, "500.html", status=500)
