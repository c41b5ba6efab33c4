"""Telling people, reliably: ``notify`` writes the notification and its outbox rows in the
caller's transaction; workers deliver each row once; a sweeper re-queues what was missed.

Delivery is at least once from Celery's side (a task may run twice, or never if the broker
was down) and exactly once in effect: ``deliver`` locks the row and checks its status, and
a send that may have happened is never repeated silently (see ``DeliveryStatus.UNCERTAIN``).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import versions
from accounts.models import Customer, User
from lib import cache as safe_cache
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
    title: str | Promise,
    body: str | Promise = "",
    link: str = "",
    params: dict[str, object] | None = None,
    copy: bool = False,
    private: bool = False,
) -> Notification:
    """Record a notification for ``customer`` and its deliveries, in the caller's
    transaction; once that commits, workers are asked to deliver them.

    Whoever ``COPY_TO`` names (a representative the person lets "be told") gets a copy in
    their own inbox, through their own channels; a copy (``copy=True``) is not copied on,
    and neither is a ``private`` one (about the person's representatives themselves).

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
    versions.bump(user_id=customer.user_id)
    if not (copy or private):
        for copies_for in COPY_TO:
            for other, person in copies_for(notification):
                notify(
                    customer=other, kind=kind, copy=True,
                    title=_("Copy for %(person)s: %(title)s"),
                    body=_("%(body)s\n\nYou get this because %(person)s lets you be told about their benefits. Act for them to see more."),
                    params={"person": person, "title": title_text, "body": body_text},
                )  # fmt: skip
    return notification


#: Who else gets a copy of a notification: functions (filled in by higher apps) taking the
#: notification and returning ``(customer, name of the person)`` for each copy to send.
COPY_TO: list[Callable[[Notification], Iterable[tuple[Customer, str]]]] = []


# The task that delivers a batch, sent by name: tasks call services, never the reverse.
DELIVER_BATCH = "notifications.tasks.deliver_batch"


def publish(delivery_ids: list[int]) -> None:
    """Ask a worker to deliver, now. If the broker cannot be reached, say so and carry on:
    the rows are committed and the sweeper delivers them when it is back."""
    for start in range(0, len(delivery_ids), TASK_BATCH):
        chunk = delivery_ids[start : start + TASK_BATCH]
        try:
            current_app.send_task(DELIVER_BATCH, args=(chunk,), retry=False)
        except Exception:
            log.warning("Could not queue deliveries %s; the sweeper will send them", chunk[:5])


# --- Delivering -------------------------------------------------------------------------------------


def deliver(delivery_id: int, *, now: datetime | None = None) -> str:
    """Deliver one row, if it is still waiting and due. Returns what happened."""
    return deliver_many([delivery_id], now=now)[delivery_id]


def deliver_many(delivery_ids: list[int], *, now: datetime | None = None) -> dict[int, str]:
    """Deliver the rows among ``delivery_ids`` that are waiting and due; say what happened
    to each ("busy" when another worker holds it).

    One transaction claims them all (locked, status checked, marked "sending" under a
    lease); the sends happen outside it; the outcomes are recorded only where the row is
    still ours. A row claimed by nobody is left for whoever holds it.
    """
    from notifications import channels

    now = now or timezone.now()
    lease = now + LEASE
    outcome: dict[int, str] = {}
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification__customer__user")
            .filter(pk__in=delivery_ids, status__in=WAITING, next_attempt_at__lte=now)
            .order_by("pk")
        )
        texted = {d.notification.customer_id for d in rows if d.channel == Channel.SMS}
        quiet = {
            p.customer_id: p
            for p in Preferences.objects.filter(customer_id__in=texted, quiet_from__isnull=False)
        } if texted else {}  # fmt: skip
        to_send, to_print, deferred = [], [], []
        for delivery in rows:
            if delivery.channel == Channel.LETTER:
                to_print.append(delivery.pk)
            elif delivery.channel == Channel.SMS and (
                resume := _quiet_hours_end(quiet.get(delivery.notification.customer_id), now)
            ):
                delivery.next_attempt_at = resume
                deferred.append(delivery)
            else:
                to_send.append(delivery)
        if to_print:
            Delivery.objects.filter(pk__in=to_print).update(
                status=DeliveryStatus.PRINT_QUEUE, attempts=F("attempts") + 1, updated_at=now
            )
            outcome |= dict.fromkeys(to_print, DeliveryStatus.PRINT_QUEUE)
        if deferred:
            Delivery.objects.bulk_update(deferred, ["next_attempt_at"])
            outcome |= dict.fromkeys((d.pk for d in deferred), "quiet hours")
        if to_send:
            Delivery.objects.filter(pk__in=[d.pk for d in to_send]).update(
                status=DeliveryStatus.SENDING, attempts=F("attempts") + 1,
                lease_expires_at=lease, updated_at=now,
            )  # fmt: skip
            for delivery in to_send:
                delivery.status, delivery.lease_expires_at = DeliveryStatus.SENDING, lease
                delivery.attempts += 1
    # Outside the lock: each row says "sending" under our lease while the provider works.
    sent: list[tuple[Delivery, str]] = []
    for delivery in to_send:
        try:
            sent.append((delivery, channels.send(delivery)))
        except channels.PermanentFailure as exc:
            outcome[delivery.pk] = _finish(delivery, DeliveryStatus.FAILED, error=str(exc))
        except Exception as exc:
            if delivery.attempts >= MAX_ATTEMPTS:
                outcome[delivery.pk] = _finish(
                    delivery, DeliveryStatus.FAILED,
                    error=f"Gave up after {delivery.attempts} attempts: {exc}",
                )  # fmt: skip
            else:
                outcome[delivery.pk] = _finish(
                    delivery, DeliveryStatus.RETRYING, error=str(exc),
                    next_attempt_at=timezone.now() + backoff(delivery.attempts),
                )  # fmt: skip
    outcome |= _finish_sent(sent, lease)
    unclaimed = [pk for pk in delivery_ids if pk not in outcome]
    if unclaimed:
        outcome |= _why_not_claimed(unclaimed, now)
    return outcome


def _finish_sent(sent: list[tuple[Delivery, str]], lease: datetime) -> dict[int, str]:
    """Record many successes in one statement, where each row is still ours."""
    if not sent:
        return {}
    now = timezone.now()
    values = ", ".join(["(%s, %s)"] * len(sent))
    params: list[int | str] = [
        x for delivery, provider_id in sent for x in (delivery.pk, provider_id[:200])
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE notifications_delivery AS d
               SET status = 'sent', provider_id = v.provider_id, sent_at = %s, updated_at = %s,
                   last_error = '', lease_expires_at = NULL
              FROM (VALUES {values}) AS v(id, provider_id)
             WHERE d.id = v.id AND d.status = 'sending' AND d.lease_expires_at = %s
            RETURNING d.id
            """,  # noqa: S608 - placeholders only; every value is a parameter
            [now, now, *params, lease],
        )
        recorded = {row[0] for row in cursor.fetchall()}
    for delivery, provider_id in sent:
        if delivery.pk not in recorded:  # the lease ran out while the provider worked
            _finish(delivery, DeliveryStatus.SENT, provider_id=provider_id, sent_at=now)
    return {delivery.pk: DeliveryStatus.SENT for delivery, _ in sent}


def _why_not_claimed(ids: list[int], now: datetime) -> dict[int, str]:
    found = dict.fromkeys(ids, "busy")  # gone, or locked by another worker
    for pk, status, due in Delivery.objects.filter(pk__in=ids).values_list(
        "pk", "status", "next_attempt_at"
    ):
        if status not in WAITING:
            found[pk] = status  # sent, sending under someone's lease, failed…
        elif due > now:
            found[pk] = "not due"
    return found


def _finish(delivery: Delivery, status: str, *, error: str = "", **fields: Any) -> str:
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


def _quiet_hours_end(preferences: Preferences | None, now: datetime) -> datetime | None:
    """When the person's quiet hours end, if ``now`` is inside them; else None."""
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


# --- Resolving uncertain sends -----------------------------------------------------------------


class Resolved(StrEnum):
    """What ``resolve_uncertain`` did with an uncertain delivery."""

    DELIVERED = "delivered"  # the provider has it: recorded as sent
    RESENT = "resent"  # the provider never got it (or a person chose not to check): queued
    UNCHECKED = "left uncertain"  # the provider cannot be asked: a person decides
    UNREACHABLE = "provider not reached"  # the provider could not be asked this time
    CHANGED = "changed meanwhile"  # no longer uncertain when we came to record it: left alone


@dataclass(frozen=True)
class Resolution:
    delivery_id: int
    notification_id: int
    channel: str
    outcome: Resolved
    detail: str


def resolve_uncertain(
    *,
    by: User | None,
    deliveries: Iterable[Delivery] | None = None,
    resend_unchecked: bool = False,
    dry_run: bool = False,
) -> list[Resolution]:
    """Settle deliveries left uncertain (their worker died between handing the message to
    the provider and recording the answer): all of them, or those of ``deliveries`` (rows
    as the caller read them) that were.

    Each is looked up with its provider (``channels.find_sent``, outside any transaction):
    what the provider has is recorded as sent; what it never received is queued to be sent
    again. What cannot be checked (email) stays uncertain with the reason, unless
    ``resend_unchecked``: a person's choice, knowing the message may arrive twice. Staying
    is the default because the notification is in the person's inbox in the portal
    whatever happens, so a second email or text is the worse mistake to make unseen.

    Every change is one conditional UPDATE of a row still uncertain after the same number
    of attempts, so a second run, or two at once, act once. ``dry_run`` asks the providers
    and changes nothing. ``by`` is named in the row's note (None: the outbox_resolve
    command).
    """
    if deliveries is None:
        deliveries = Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN).order_by("pk")
    rows = [d for d in deliveries if d.status == DeliveryStatus.UNCERTAIN]
    who = by.email if by is not None else "the outbox_resolve command"
    report: list[Resolution] = []
    resent: list[int] = []
    for delivery in rows:
        outcome, note, provider_id = _check(delivery, who=who, resend_unchecked=resend_unchecked)
        if not dry_run and outcome != Resolved.UNREACHABLE:
            if not _settle(delivery, outcome, note, provider_id=provider_id):
                outcome, note = Resolved.CHANGED, "No longer uncertain: left as it is."
            elif outcome == Resolved.RESENT:
                resent.append(delivery.pk)
        report.append(
            Resolution(
                delivery_id=delivery.pk,
                notification_id=delivery.notification_id,
                channel=delivery.channel,
                outcome=outcome,
                detail=note,
            )
        )
    if resent:
        transaction.on_commit(lambda: publish(resent))
    return report


def _check(delivery: Delivery, *, who: str, resend_unchecked: bool) -> tuple[Resolved, str, str]:
    """Ask the provider about one delivery: (outcome, the row's note, the provider's id)."""
    from notifications import channels

    try:
        provider_id = channels.find_sent(delivery)
    except channels.CannotCheck as exc:
        if resend_unchecked:
            return Resolved.RESENT, f"{exc} Sent again without a check by {who}.", ""
        return Resolved.UNCHECKED, (
            f"{exc} It could not be checked ({who}): it may have been sent; send it again "
            "only after checking with the provider."
        ), ""  # fmt: skip
    except Exception as exc:
        return Resolved.UNREACHABLE, f"The provider could not be asked: {exc}", ""
    if provider_id:
        return Resolved.DELIVERED, (
            f"The provider has it ({provider_id[:100]}): recorded as sent by {who}."
        ), provider_id  # fmt: skip
    return Resolved.RESENT, f"The provider had no record of it: sent again by {who}.", ""


def _settle(delivery: Delivery, outcome: Resolved, note: str, *, provider_id: str) -> bool:
    """Record ``outcome`` if the row is still uncertain after the attempts we saw."""
    now = timezone.now()
    fields: dict[str, Any] = {"last_error": note[:500], "updated_at": now}
    if outcome == Resolved.DELIVERED:
        fields |= {"status": DeliveryStatus.SENT, "provider_id": provider_id[:200], "sent_at": now}
    elif outcome == Resolved.RESENT:
        fields |= {"status": DeliveryStatus.PENDING, "next_attempt_at": now}
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.UNCERTAIN, attempts=delivery.attempts
        ).update(**fields)
    )


# --- Reading and marking read ------------------------------------------------------------------


def _unread_key(customer_id: int) -> str:
    return f"notifications:unread:{customer_id}"


# The cache only speeds up the header's badge, so it goes through lib.cache: these run after
# the change is committed (on commit, or after a statement outside a transaction), and a
# cache that cannot be reached must never turn the person's request into an error (the
# change is saved, and pressing again would do it twice). A failed drop is logged; the count
# left behind is at most a minute old (its timeout).


def forget_unread_count(customer_id: int) -> None:
    safe_cache.delete(_unread_key(customer_id))


def forget_unread_counts(customer_ids: Sequence[int]) -> None:
    """Drop the header's cached unread counts of many people, a thousand keys per cache
    round trip (after a job told them all something)."""
    for start in range(0, len(customer_ids), 1000):
        safe_cache.delete_many([_unread_key(i) for i in customer_ids[start : start + 1000]])


def unread_count_cached(*, customer_id: int) -> int:
    """The header's badge: cached for a minute, dropped whenever it changes here; counted
    in the database when the cache cannot be reached."""
    key = _unread_key(customer_id)
    count: int | None = safe_cache.get(key)
    if count is None:
        count = _unread_count(customer_id)
        safe_cache.set(key, count, 60)
    return count


def _unread_count(customer_id: int) -> int:
    return Notification.objects.filter(customer_id=customer_id, read_at__isnull=True).count()


@transaction.atomic(durable=True)
def mark_read(*, customer: Customer, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all of them, or ``ids``); returns how many."""
    unread = Notification.objects.filter(customer=customer, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    count = unread.update(read_at=timezone.now())
    transaction.on_commit(lambda: forget_unread_count(customer.pk))
    if count:
        versions.bump(user_id=customer.user_id)
    return count


def mark_read_for_link(*, customer: Customer, link: str) -> int:
    """Opening the page a notification points to counts as reading it."""
    count = Notification.objects.filter(customer=customer, link=link, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        forget_unread_count(customer.pk)
        versions.bump(user_id=customer.user_id)
    return count


@transaction.atomic(durable=True)
def mark_posted(*, delivery: Delivery, by: User) -> bool:
    """A caseworker printed and posted a letter from the print queue."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PRINT_QUEUE).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            provider_id=f"posted by {by.pk}",
            updated_at=timezone.now(),
        )
    )


@transaction.atomic(durable=True)
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
