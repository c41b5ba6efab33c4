from __future__ import annotations

from accounts.models import Customer
from notifications.models import Notification


def unread_for_customer(*, customer: Customer, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.filter(customer=customer, read_at__isnull=True)[:limit])


def unread_count(*, customer: Customer) -> int:
    return Notification.objects.filter(customer=customer, read_at__isnull=True).count()
