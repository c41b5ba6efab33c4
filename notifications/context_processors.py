from __future__ import annotations

from functools import cache

from django.core.cache import cache as shared_cache
from django.http import HttpRequest

from notifications.services import unread_count_cached


def _customer_id(user_id: int) -> int | None:
    """A user's customer never changes: remember it, so the header costs no query."""
    from accounts.models import Customer

    key = f"notifications:customer-of:{user_id}"
    found = shared_cache.get(key)
    if found is None:
        found = Customer.objects.filter(user_id=user_id).values_list("pk", flat=True).first() or 0
        shared_cache.set(key, found, 24 * 60 * 60)
    return found or None


def unread(request: HttpRequest) -> dict[str, object]:
    """``unread_messages`` for the header: worked out only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}

    @cache
    def count() -> int:
        customer_id = _customer_id(user.pk)
        return unread_count_cached(customer_id=customer_id) if customer_id else 0

    return {"unread_messages": count, "has_inbox": True}
