"""The customer 360° page: the whole person on one admin page, in a fixed number of queries."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from accounts.access import record_access
from accounts.models import AccessEvent, Customer, Fact
from benefits.claims import selectors
from benefits.models import Claim, ClaimEvent, Document, InformationRequest
from notifications.models import Delivery, Notification

RECENT = 50


def customer_360(request: HttpRequest, customer_id: int) -> HttpResponse:
    if not request.user.has_perm("accounts.view_customer"):
        raise PermissionDenied
    customer = get_object_or_404(Customer.objects.select_related("user"), pk=customer_id)
    _record_access(request, customer)
    claims = list(
        Claim.objects.filter(customer=customer)
        .select_related("benefit", "assigned_to")
        .prefetch_related(
            Prefetch(
                "events", queryset=ClaimEvent.objects.select_related("by").order_by("at", "pk")
            ),
            Prefetch("documents", queryset=Document.objects.order_by("uploaded_at")),
            Prefetch(
                "information_requests", queryset=InformationRequest.objects.order_by("due_on")
            ),
            "decisions",
        )
        .order_by("-created_at")
    )
    notifications = list(
        Notification.objects.filter(customer=customer)
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("channel")))
        .order_by("-created_at")[:RECENT]
    )
    history = list(
        Customer.history.filter(id=customer.pk)
        .select_related("history_user")
        .order_by("-history_date")[:RECENT]
    )
    claim_history = list(
        Claim.history.filter(customer_id=customer.pk)
        .select_related("history_user")
        .order_by("-history_date")[:RECENT]
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Customer 360°: %(name)s") % {"name": customer.full_name or customer.reference},
        "customer": customer,
        "household": list(customer.household.order_by("joined_on")),
        "facts": list(
            Fact.objects.filter(customer=customer)
            .select_related("recorded_by")
            .order_by("kind", "effective_from", "recorded_at")
        ),
        "claims": claims,
        "tasks": [r for c in claims for r in c.information_requests.all() if r.answered_at is None],
        "notes": list(selectors.case_notes(claim_ids=[c.pk for c in claims])),
        "notifications": notifications,
        "failed": [
            d
            for n in notifications
            for d in n.deliveries.all()
            if d.status in ("failed", "uncertain")
        ],
        "access": list(
            AccessEvent.objects.filter(customer=customer).select_related("staff")[:RECENT]
        ),
        "history": history,
        "claim_history": claim_history,
    }
    return TemplateResponse(request, "admin/customer_360.html", context)


def _record_access(request: HttpRequest, customer: Customer) -> None:
    record_access(request, customer_id=customer.pk, what="customer_360", object_id=customer.pk)
