"""Pages that belong to the portal as a whole: start page, "Your services", health, errors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Customer
from benefits.selectors import claims_for_customer
from portal import health


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Staff accounts have no Customer; everyone else's was created when they signed up.
    customer = Customer.objects.filter(user=request.user).first()
    claims = list(claims_for_customer(customer=customer)) if customer else []
    return render(request, "portal/home.html", {"customer": customer, "claims": claims})


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
