"""One way to notify a person: ``notify``, inside the caller's transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.models import Customer
from notifications.models import Notification


def notify(
    *,
    customer: Customer,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    params: dict[str, object] | None = None,
) -> Notification:
    """Record a notification for ``customer``.

    Pass lazy translations with ``%(name)s`` placeholders and their ``params``: they are
    rendered in the person's own language, whatever the language of the request (or the
    worker) that caused them.
    """
    params = params or {}
    with translation.override(customer.preferred_language or None):
        title_text = str(title) % params if params else str(title)
        # A caseworker's free-text reason is passed as it is: only translations are filled.
        body_text = str(body) % params if params and isinstance(body, Promise) else str(body)
    return Notification.objects.create(
        customer=customer, kind=kind, title=title_text[:200], body=body_text, link=link
    )


@transaction.atomic
def mark_read(*, customer: Customer, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all of them, or ``ids``); returns how many."""
    unread = Notification.objects.filter(customer=customer, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def mark_read_for_link(*, customer: Customer, link: str) -> int:
    """Opening the page a notification points to counts as reading it."""
    return Notification.objects.filter(customer=customer, link=link, read_at__isnull=True).update(
        read_at=timezone.now()
    )
