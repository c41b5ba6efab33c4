"""The system status page inside the admin, for operators and team leaders: every health
check with its details (readiness's database and migrations, the cache and the broker it
reports, the worker's heartbeat) and the last test tasks sent to the worker. Sending a
test task needs ``portal.add_workerprobe``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import health, services
from portal.models import WorkerProbe


@require_http_methods(["GET", "POST"])
def system_status(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm("portal.add_workerprobe"):
            raise PermissionDenied
        probe = services.request_worker_probe(by=request.user)
        messages.success(
            request,
            _("Test task %(id)s sent to the worker. Reload this page to see it complete.")
            % {"id": probe.pk},
        )
        return redirect("system-status")
    context = {
        **admin.site.each_context(request),
        "title": _("System status"),
        "groups": [
            (
                _("This web process (/readyz: the load balancer's readiness)"),
                health.run_checks(health.READINESS),
            ),
            (
                _("The worker (/healthz/worker: beat, the broker and a worker)"),
                health.run_checks(health.WORKER),
            ),
        ],
        "probes": WorkerProbe.objects.select_related("requested_by")[:10],
        "can_probe": request.user.has_perm("portal.add_workerprobe"),
    }
    return TemplateResponse(request, "admin/system_status.html", context)
