from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from accounts.models import Customer
from notifications.models import Delivery, Notification, Preferences


def unread_for_customer(*, customer: Customer, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.filter(customer=customer, read_at__isnull=True)[:limit])


def unread_count(*, customer: Customer) -> int:
    return Notification.objects.filter(customer=customer, read_at__isnull=True).count()


def for_customer(*, customer: Customer):
    return Notification.objects.filter(customer=customer).order_by("-created_at", "-pk")


def recent_with_deliveries(*, customer: Customer, limit: int) -> list[Notification]:
    """For staff: the person's latest ``limit`` notifications, each with its deliveries
    (by channel): two queries."""
    return list(
        Notification.objects.filter(customer=customer)
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("channel")))
        .order_by("-created_at")[:limit]
    )


def get_for_customer(*, customer: Customer, notification_id: int) -> Notification:
    """One of the person's notifications; "missing" and "not yours" are the same 404."""
    notification = Notification.objects.filter(customer=customer, pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification


def preferences_for(*, customer: Customer) -> Preferences | None:
    return Preferences.objects.filter(customer=customer).first()
