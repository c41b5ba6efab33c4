from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from lib import cache as safe_cache
from notifications.services import unread_count_cached


def _customer_id(user_id: int) -> int | None:
    """A user's customer never changes: remember it, so the header costs no query."""
    from accounts.models import Customer

    key = f"notifications:customer-of:{user_id}"
    found = safe_cache.get(key)
    if found is None and not safe_cache.is_down():
        found = Customer.objects.filter(user_id=user_id).values_list("pk", flat=True).first() or 0
        safe_cache.set(key, found, 24 * 60 * 60)
    return found or None


def unread(request: HttpRequest) -> dict[str, object]:
    """``unread_messages`` for the header: worked out only if a template shows it.

    None while the cache is down: the header then shows "Messages" without a count,
    rather than add a count query to every page of every person during the outage. The
    badge's own poll (notifications.views.badge) counts from the database.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}

    @cache
    def count() -> int | None:
        if safe_cache.is_down():
            return None
        customer_id = _customer_id(user.pk)
        if safe_cache.is_down():  # found down just now: no query for the customer either
            return None
        if not customer_id:
            return 0
        try:
            return unread_count_cached(customer_id=customer_id)
        except safe_cache.ERRORS as error:
            safe_cache.mark_down(error)
            return None

    return {"unread_messages": count, "has_inbox": True}
