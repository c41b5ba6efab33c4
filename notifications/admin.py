from __future__ import annotations

from collections import Counter

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.access import RecordsAccess
from lib.admin import ReadOnlyAdmin
from notifications import services
from notifications.models import Delivery, DeliveryStatus, Notification, PrintQueueEntry


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "channel", "status", "attempts", "last_error", "next_attempt_at", "sent_at", "provider_id",
    )  # fmt: skip

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin, RecordsAccess, admin.ModelAdmin):
    """What each person was told and how it was delivered, read-only: notifications are
    written by the services."""

    access_list_name = _("messages we sent")

    list_display = ("title", "customer", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("customer__reference", "title")
    list_select_related = ("customer",)
    readonly_fields = ("customer", "kind", "title", "body", "link", "created_at", "read_at")
    inlines = [DeliveryInline]
    show_full_result_count = False


@admin.register(Delivery)
class DeliveryAdmin(RecordsAccess, admin.ModelAdmin):
    """The outbox: failed and uncertain deliveries need a person to look at them."""

    access_customer = "notification__customer"
    access_list_name = _("messages we sent")

    list_display = ("notification", "channel", "status", "attempts", "last_error", "updated_at")
    list_filter = ("status", "channel")
    search_fields = ("notification__customer__reference",)
    list_select_related = ("notification",)
    readonly_fields = [f.name for f in Delivery._meta.fields]
    show_full_result_count = False
    actions = ["resolve_uncertain", "resend_unchecked"]

    def has_resolve_permission(self, request) -> bool:
        # Sending again is an operator's call (superusers hold every permission).
        return request.user.has_perm("notifications.change_delivery")

    @admin.action(
        description=_("Check uncertain deliveries with the provider and send again what it never received"),
        permissions=["resolve"],
    )  # fmt: skip
    def resolve_uncertain(self, request, queryset) -> None:
        self._resolve(request, queryset, resend_unchecked=False)

    @admin.action(
        description=_("Send uncertain deliveries again, without a check where the provider cannot be asked (the person may get them twice)"),
        permissions=["resolve"],
    )  # fmt: skip
    def resend_unchecked(self, request, queryset) -> None:
        self._resolve(request, queryset, resend_unchecked=True)

    def _resolve(self, request, queryset, *, resend_unchecked: bool) -> None:
        report = services.resolve_uncertain(
            by=request.user, deliveries=queryset.order_by("pk"), resend_unchecked=resend_unchecked
        )
        counts = Counter(item.outcome for item in report)
        left = counts[services.Resolved.UNCHECKED] + counts[services.Resolved.UNREACHABLE]
        self.message_user(
            request,
            _("%(sent)d recorded as sent, %(resent)d sent again, %(left)d left uncertain "
              "(the reason is in each one's last error).")
            % {"sent": counts[services.Resolved.DELIVERED],
               "resent": counts[services.Resolved.RESENT], "left": left},
            messages.WARNING if left else messages.SUCCESS,
        )  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PrintQueueEntry)
class PrintQueueAdmin(RecordsAccess, admin.ModelAdmin):
    """Letters for people who asked for post, with the format their needs call for."""

    access_customer = "notification__customer"
    access_list_name = _("letters to post")

    list_display = ("notification", "customer", "address", "formats", "created_at")
    list_select_related = ("notification__customer",)
    actions = ["mark_posted"]
    show_full_result_count = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=DeliveryStatus.PRINT_QUEUE, channel="letter")
        )

    @admin.display(description=_("customer"))
    def customer(self, obj: Delivery) -> str:
        return str(obj.notification.customer)

    @admin.display(description=_("address"))
    def address(self, obj: Delivery) -> str:
        return ", ".join(obj.notification.customer.address_lines) or str(
            _("No address: check the record")
        )

    @admin.display(description=_("format"))
    def formats(self, obj: Delivery) -> str:
        needs = {"large_print", "braille", "audio", "easy_read"}
        chosen = [n for n in obj.notification.customer.accessibility_needs if n in needs]
        return ", ".join(chosen) or str(_("standard print"))

    @admin.action(description=_("Mark the selected letters as posted"), permissions=["change"])
    def mark_posted(self, request, queryset) -> None:
        posted = sum(services.mark_posted(delivery=d, by=request.user) for d in queryset)
        self.message_user(
            request,
            ngettext("%(n)d letter marked as posted.", "%(n)d letters marked as posted.", posted)
            % {"n": posted},
            messages.SUCCESS,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Delivery._meta.fields]
