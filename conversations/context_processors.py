from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from accounts import versions
from conversations import selectors
from lib import cache as safe_cache


def unread(request: HttpRequest) -> dict[str, object]:
    """``unread_conversation_messages`` for the header's "Messages": how many of our
    messages the person has not read, worked out only if a template shows it.

    Kept in the cache under the person's version, so most pages run no query for it. None
    while the cache is down: the header then shows "Messages" without a count rather than
    add a query to every page during the outage; the badge's poll counts from the database.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}

    @cache
    def count() -> int | None:
        if safe_cache.is_down():
            return None
        version = versions.current(user_id=user.pk)
        if safe_cache.is_down():  # found down just now
            return None
        try:
            return selectors.unread_count_cached(user_id=user.pk, version=version)
        except safe_cache.ERRORS as error:
            safe_cache.mark_down(error)
            return None

    return {"unread_conversation_messages": count}
