from __future__ import annotations

from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What each person was told, read-only: notifications are written by the services."""

    list_display = ("title", "customer", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("customer__reference", "title")
    list_select_related = ("customer",)
    readonly_fields = ("customer", "kind", "title", "body", "link", "created_at", "read_at")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
