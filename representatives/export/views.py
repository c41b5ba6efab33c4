""" "Download my data": the page, its live status panel, and the download.

Pages for the person themself: they carry no ``@representable`` mark, so while someone
acts for the person they do not exist (404), and they read the signed-in person's own
record (``get_customer_for_user``), never the record of someone they act for.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.activity import passive
from accounts.http import AuthenticatedHttpRequest
from accounts.reauth import after_reauthentication
from accounts.selectors import get_customer_for_user
from benefits.evidence.serving import serve_document
from representatives.export import selectors, services
from representatives.models import DataExport


def _context(export: DataExport | None) -> dict:
    now = timezone.now()
    return {
        "export": export,
        "downloadable": export is not None and export.is_downloadable(now=now),
        "expired": export is not None
        and (
            export.status == DataExport.Status.EXPIRED
            or (export.status == DataExport.Status.READY and not export.is_downloadable(now=now))
        ),
        "lifetime_days": services.LIFETIME.days,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    customer = get_customer_for_user(user=request.user)
    if request.method == "POST":
        # Nothing to fill in: the button is the request. A second press (or a second tab)
        # while one is being made gets the same export (services.request_export).
        services.request_export(customer=customer, by=request.user)
        messages.success(
            request, _("We are making your download. We will tell you when it is ready.")
        )
        return redirect("representatives:export")
    context = _context(selectors.latest_export(customer=customer))
    return render(request, "representatives/export/page.html", context)


@passive  # polled by the page while the export is being made
@require_GET
@never_cache
@login_required
def export_status(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The status panel alone, for the page to refresh; it stops asking once done."""
    context = _context(selectors.latest_export_of_user(user=request.user))
    return render(request, "representatives/export/_status.html", context)


@require_GET
@never_cache
@login_required
def export_download(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponseBase:
    """The ZIP, after the password again (allauth's re-authentication, asked within the
    view so another person's export is a 404 before anything is asked)."""
    customer = get_customer_for_user(user=request.user)
    export = selectors.get_export_for_customer(customer=customer, export_id=export_id)

    def download() -> HttpResponse:
        if not export.is_downloadable(now=timezone.now()):
            return render(
                request, "representatives/export/expired.html", _context(export), status=410
            )
        # A streamed file: ``after_reauthentication`` passes any response through.
        return cast(HttpResponse, serve_document(export))

    return after_reauthentication(request, download)
