"""The customer 360° page: the whole person on one admin page, for staff allowed to see
customers, in a fixed number of queries however long their history.

Each app's part comes from its own selectors: the record, facts, changes and access log
from ``accounts.selectors``, claims and their notes from ``benefits.claims.selectors``,
notifications and their deliveries from ``notifications.selectors``, conversations from
``conversations.staff_selectors``, appointments from ``appointments.selectors``, representatives,
consents and correction requests from ``representatives.staff_selectors``. Opening the page
is written to the person's access log.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from accounts import selectors as account_selectors
from accounts.access import record_access
from appointments import selectors as appointment_selectors
from benefits.claims import selectors as claim_selectors
from conversations import staff_selectors as conversation_selectors
from notifications import selectors as notification_selectors
from representatives import staff_selectors as representative_selectors

RECENT = 50


def customer_360(request: HttpRequest, customer_id: int) -> HttpResponse:
    if not request.user.has_perm("accounts.view_customer"):
        raise PermissionDenied
    customer = account_selectors.get_customer_for_staff(customer_id=customer_id)
    record_access(
        request, customer_id=customer.pk, what="customer_360", object_id=customer.pk,
        model="accounts.customer",
    )  # fmt: skip
    claims = list(claim_selectors.case_file(customer=customer))
    notifications = notification_selectors.recent_with_deliveries(customer=customer, limit=RECENT)
    representations = representative_selectors.representations_for_360(customer=customer)
    consent_lines = representative_selectors.consents_for_360(
        customer=customer, representations=representations
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Customer 360°: %(name)s") % {"name": customer.full_name or customer.reference},
        "customer": customer,
        "household": list(customer.household.order_by("joined_on")),
        "facts": list(account_selectors.facts_by_period(customer=customer)),
        "claims": claims,
        "appointments": appointment_selectors.for_customer_360(customer=customer, limit=RECENT),
        "tasks": [r for c in claims for r in c.information_requests.all() if r.answered_at is None],
        "notes": list(claim_selectors.case_notes(claim_ids=[c.pk for c in claims])),
        "notifications": notifications,
        "conversations": conversation_selectors.conversations_for_customer(
            customer=customer, limit=RECENT
        ),
        "failed": [
            d
            for n in notifications
            for d in n.deliveries.all()
            if d.status in ("failed", "uncertain")
        ],
        "representations": representations,
        "consents_current": [line for line in consent_lines if line.in_force],
        "consents_past": [line for line in consent_lines if not line.in_force],
        "corrections": representative_selectors.corrections_for_360(
            customer=customer, limit=RECENT
        ),
        "access": list(account_selectors.access_events(customer=customer, limit=RECENT)),
        "history": list(account_selectors.customer_changes(customer=customer, limit=RECENT)),
        "claim_history": list(claim_selectors.claim_changes(customer=customer, limit=RECENT)),
    }
    return TemplateResponse(request, "admin/customer_360.html", context)
