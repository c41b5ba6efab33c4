from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.models import Heartbeat, WorkerProbe

admin.site.site_header = _("Caseworker workspace")
admin.site.site_title = _("Caseworker workspace")
admin.site.index_title = _("Work")
admin.site.index_template = "admin/portal_index.html"


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "seen_at", "hostname")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerProbe)
class WorkerProbeAdmin(admin.ModelAdmin):
    list_display = ("id", "requested_at", "requested_by", "completed_at", "hostname")
    list_select_related = ("requested_by",)
    date_hierarchy = "requested_at"

    def has_add_permission(self, request) -> bool:
        return False  # probes are sent from the system status page

    def has_change_permission(self, request, obj=None) -> bool:
        return False
