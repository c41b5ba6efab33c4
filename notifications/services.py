"""Telling people, reliably: ``notify`` writes the notification and its outbox rows in the
caller's transaction; workers deliver each row once; a sweeper re-queues what was missed.

Delivery is at least once from Celery's side (a task may run twice, or never if the broker
was down) and exactly once in effect: ``deliver`` locks the row and checks its status, and
a send that may have happened is never repeated silently (see ``DeliveryStatus.UNCERTAIN``).
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.models import Customer
from notifications.models import (
    WAITING,
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    Preferences,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
LEASE = timedelta(minutes=5)  # a send taking longer than this is treated as lost
GRACE = timedelta(seconds=60)  # the fast path gets this long before the sweeper steps in
SWEEP_BATCH = 5000
TASK_BATCH = 200
# The person's contact channels (profile) → the channels we deliver on.
PROFILE_CHANNELS = {"email": Channel.EMAIL, "sms": Channel.SMS, "post": Channel.LETTER}


# --- Choosing channels ------------------------------------------------------------------------


def default_channels(customer: Customer) -> list[str]:
    return [PROFILE_CHANNELS[c] for c in customer.contact_channels if c in PROFILE_CHANNELS]


def channels_for(customer: Customer, kind: str, preferences: Preferences | None) -> list[str]:
    if preferences is not None and kind in preferences.channels:
        chosen = preferences.channels[kind]
    else:
        chosen = default_channels(customer)
    return [c for c in Channel.values if c in chosen]


def _preferences(customer: Customer) -> Preferences | None:
    return Preferences.objects.filter(customer=customer).first()


# --- Notifying -------------------------------------------------------------------------------------


def notify(
    *,
    customer: Customer,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    params: dict[str, object] | None = None,
) -> Notification:
    """Record a notification for ``customer`` and its deliveries, in the caller's
    transaction; once that commits, workers are asked to deliver them.

    Pass lazy translations with ``%(name)s`` placeholders and their ``params``: they are
    rendered in the person's own language, whatever the language of the request (or the
    worker) that caused them. A caseworker's free text is passed as it is.
    """
    params = params or {}
    with translation.override(customer.preferred_language or None):
        title_text = str(title) % params if params else str(title)
        body_text = str(body) % params if params and isinstance(body, Promise) else str(body)
    notification = Notification.objects.create(
        customer=customer, kind=kind, title=title_text[:200], body=body_text, link=link
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(notification=notification, channel=channel)
        for channel in channels_for(customer, kind, _preferences(customer))
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: publish(ids))
    transaction.on_commit(lambda: forget_unread_count(customer.pk))
    return notification


def publish(delivery_ids: list[int]) -> None:
    """Ask a worker to deliver, now. If the broker cannot be reached, say so and carry on:
    the rows are committed and the sweeper delivers them when it is back."""
    from notifications.tasks import deliver_batch

    for start in range(0, len(delivery_ids), TASK_BATCH):
        chunk = delivery_ids[start : start + TASK_BATCH]
        try:
            deliver_batch.apply_async((chunk,), retry=False)
        except Exception:
            log.warning("Could not queue deliveries %s; the sweeper will send them", chunk[:5])


# --- Delivering -------------------------------------------------------------------------------------


def deliver(delivery_id: int, *, now: datetime | None = None) -> str:
    """Deliver one row, if it is still waiting and due. Returns what happened."""
    from notifications import channels

    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__customer__user")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "busy"  # another worker holds it, or it is gone
        if delivery.status not in WAITING:
            return delivery.status  # sent, sending under someone's lease, failed…
        if delivery.next_attempt_at > now:
            return "not due"
        customer = delivery.notification.customer
        if delivery.channel == Channel.SMS and (resume := _after_quiet_hours(customer, now)):
            delivery.next_attempt_at = resume
            delivery.save(update_fields=["next_attempt_at", "updated_at"])
            return "quiet hours"
        if delivery.channel == Channel.LETTER:
            delivery.status = DeliveryStatus.PRINT_QUEUE
            delivery.attempts += 1
            delivery.save(update_fields=["status", "attempts", "updated_at"])
            return delivery.status
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.lease_expires_at = now + LEASE
        delivery.save(update_fields=["status", "attempts", "lease_expires_at", "updated_at"])
    # Outside the lock: the row says "sending" under a lease while the provider works.
    try:
        provider_id = channels.send(delivery)
    except channels.PermanentFailure as exc:
        return _finish(delivery, DeliveryStatus.FAILED, error=str(exc))
    except Exception as exc:
        if delivery.attempts >= MAX_ATTEMPTS:
            return _finish(
                delivery,
                DeliveryStatus.FAILED,
                error=f"Gave up after {delivery.attempts} attempts: {exc}",
            )
        return _finish(
            delivery, DeliveryStatus.RETRYING, error=str(exc),
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
        )  # fmt: skip
    return _finish(delivery, DeliveryStatus.SENT, provider_id=provider_id, sent_at=timezone.now())


def _finish(delivery: Delivery, status: str, *, error: str = "", **fields) -> str:
    """Record the outcome, only if the row is still ours (still sending under our lease)."""
    updated = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING, lease_expires_at=delivery.lease_expires_at
    ).update(
        status=status,
        last_error=error[:500],
        lease_expires_at=None,
        updated_at=timezone.now(),
        **fields,
    )
    if not updated and status == DeliveryStatus.SENT:
        # The sweeper gave up on us (uncertain) while the provider worked; now we know the
        # message went, so say so rather than leave staff to wonder whether to resend it.
        updated = Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.UNCERTAIN, attempts=delivery.attempts
        ).update(status=status, last_error="", updated_at=timezone.now(), **fields)
    if not updated:
        log.error(
            "Delivery %s finished as %s after its lease ran out; the row was left as it was",
            delivery.pk, status,
        )  # fmt: skip
    return status


def backoff(attempts: int) -> timedelta:
    """Exponential, with jitter: about 30 s, 1, 2, 4, 8 minutes… at most an hour."""
    seconds = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not secrets


def _after_quiet_hours(customer: Customer, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if ``now`` is inside them; else None."""
    preferences = Preferences.objects.filter(customer=customer).first()
    if preferences is None or preferences.quiet_from is None or preferences.quiet_until is None:
        return None
    zone = ZoneInfo(settings.TIME_ZONE)
    local = now.astimezone(zone)
    start, end = preferences.quiet_from, preferences.quiet_until
    clock = local.time()
    overnight = start > end
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return None
    day = local.date() + timedelta(days=1) if overnight and clock >= start else local.date()
    return datetime.combine(day, end, tzinfo=zone)


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """The safety net, every minute: re-queue deliveries that are due and were missed
    (broker down, worker died before starting, a retry's time has come) and mark sends
    whose worker vanished mid-send as uncertain."""
    now = now or timezone.now()
    uncertain = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, lease_expires_at__lt=now
    ).update(
        status=DeliveryStatus.UNCERTAIN, lease_expires_at=None, updated_at=now,
        last_error="The sending worker stopped before reporting back: the message may have been sent.",
    )  # fmt: skip
    due = list(
        Delivery.objects.filter(
            status__in=WAITING, next_attempt_at__lte=now, created_at__lte=now - GRACE
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    publish(due)
    return {"requeued": len(due), "uncertain": uncertain}


# --- Reading and marking read ------------------------------------------------------------------


def _unread_key(customer_id: int) -> str:
    return f"notifications:unread:{customer_id}"


def forget_unread_count(customer_id: int) -> None:
    cache.delete(_unread_key(customer_id))


def unread_count_cached(*, customer_id: int) -> int:
    """The header's badge: cached for a minute, dropped whenever it changes here."""
    key = _unread_key(customer_id)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(customer_id=customer_id, read_at__isnull=True).count()
        cache.set(key, count, 60)
    return count


@transaction.atomic
def mark_read(*, customer: Customer, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all of them, or ``ids``); returns how many."""
    unread = Notification.objects.filter(customer=customer, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    count = unread.update(read_at=timezone.now())
    transaction.on_commit(lambda: forget_unread_count(customer.pk))
    return count


def mark_read_for_link(*, customer: Customer, link: str) -> int:
    """Opening the page a notification points to counts as reading it."""
    count = Notification.objects.filter(customer=customer, link=link, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        forget_unread_count(customer.pk)
    return count


@transaction.atomic
def mark_posted(*, delivery: Delivery, by) -> bool:
    """A caseworker printed and posted a letter from the print queue."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PRINT_QUEUE).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            provider_id=f"posted by {by.pk}",
            updated_at=timezone.now(),
        )
    )


@transaction.atomic
def save_preferences(
    *,
    customer: Customer,
    channels: dict[str, list[str]],
    quiet_from: time | None,
    quiet_until: time | None,
) -> Preferences:
    clean = {
        kind: [c for c in Channel.values if c in chosen]
        for kind, chosen in channels.items()
        if kind in NotificationKind.values
    }
    preferences, _ = Preferences.objects.update_or_create(
        customer=customer,
        defaults={"channels": clean, "quiet_from": quiet_from, "quiet_until": quiet_until},
    )
    return preferences
