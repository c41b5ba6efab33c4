"""Pages that belong to the portal as a whole: start page, "Your services", health, errors."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Customer
from benefits.claims.lifecycle import NEXT_STEP, OPEN
from benefits.claims.selectors import claims_for_customer, unfinished_applications
from benefits.models import InformationRequest, Payment, PaymentStatus
from journeys.models import Task
from notifications.selectors import unread_count, unread_for_customer
from portal import health


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/start.html")


def _services(customer: Customer | None) -> dict:
    """Everything "Your services" shows, in a fixed number of queries however many claims."""
    if customer is None:
        return {"claims": [], "todo": [], "next_payment": None, "unread": [], "etag": "none"}
    claims = list(claims_for_customer(customer=customer))
    todo = list(
        # Only open claims: a withdrawn or decided claim asks nothing more of the person.
        InformationRequest.objects.filter(
            claim__customer=customer, claim__status__in=OPEN, answered_at__isnull=True
        )
        .select_related("claim__benefit")
        .order_by("due_on")
    )
    next_payment = (
        Payment.objects.filter(
            claim__customer=customer,
            status=PaymentStatus.SCHEDULED,
            due_on__gte=timezone.localdate(),
        )
        .select_related("claim__benefit")
        .order_by("due_on")
        .first()
    )
    tasks = list(
        Task.objects.filter(customer=customer, done_at__isnull=True).order_by("due_on", "pk")[:5]
    )
    drafts = list(unfinished_applications(customer=customer))
    unread = unread_for_customer(customer=customer)
    # The banner shows the newest five; the heading counts them all (only when needed).
    unread_total = len(unread) if len(unread) < 5 else unread_count(customer=customer)
    tag = "|".join(
        [f"{c.pk}:{c.status}:{c.updated_at.timestamp()}" for c in claims]
        + [str(n.pk) for n in unread]
        + [f"t{t.pk}" for t in tasks]
        + [f"i{i.pk}" for i in todo]
        + [f"d{d.pk}" for d in drafts]
    )
    return {
        "claims": claims,
        "next_steps": NEXT_STEP,
        "todo": todo,
        "tasks": tasks,
        "drafts": drafts,
        "next_payment": next_payment,
        "unread": unread,
        "unread_total": unread_total,
        "today": timezone.localdate(),
        "etag": hashlib.sha256(tag.encode()).hexdigest()[:16],
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Staff accounts have no Customer; everyone else's was created when they signed up.
    customer = Customer.objects.filter(user=request.user).first()
    return render(request, "portal/home.html", {"customer": customer, **_services(customer)})


@require_GET
@never_cache
@login_required
def home_live(request: HttpRequest) -> HttpResponse:
    """The claims, to-do list and messages on "Your services", refreshed without a reload:
    304 when nothing changed since the tag the page sends."""
    customer = Customer.objects.filter(user=request.user).first()
    context = _services(customer)
    if request.headers.get("If-None-Match", "").strip('"') == context["etag"]:
        response = HttpResponse(status=304)
    else:
        response = render(request, "portal/_services.html", {"customer": customer, **context})
    response["ETag"] = f'"{context["etag"]}"'
    return response


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
