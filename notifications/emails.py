"""Emails to an address, sent after the request: the outbox behind accounts' emails.

accounts renders each email (in the request's language, with its links) and hands it to
``queue_email`` through ``accounts.hooks`` (registered in ``NotificationsConfig.ready()``;
accounts never imports this app). The request only writes a row; after commit a worker
sends it (``send_email``), at least once from Celery's side and once in effect, like the
notification outbox in ``services``: a claimed row says "sending" under a lease, a send
whose worker vanished becomes "uncertain" rather than going twice, temporary failures are
retried with backoff and end as "failed". The sweeper (``sweep_emails``, every minute)
re-queues what the fast path missed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notifications.models import WAITING, DeliveryStatus, OutgoingEmail
from notifications.services import GRACE, LEASE, MAX_ATTEMPTS, SWEEP_BATCH, backoff

log = logging.getLogger(__name__)

# Sent by name: tasks call services, never the reverse.
SEND_EMAIL = "notifications.tasks.send_email"
# Fields that may hold a sign-in or confirmation link, blanked once a row is finished.
CONTENT = {"body": "", "html_body": ""}


def queue_email(message: EmailMessage) -> list[OutgoingEmail]:
    """Keep ``message`` in the outbox, one row per recipient, in the caller's transaction;
    once that commits, a worker is asked to send it."""
    if message.cc or message.bcc or message.attachments or message.reply_to:
        raise ValueError("The outbox keeps plain emails: no cc, bcc, reply-to or attachments")
    html = [
        content
        for content, mimetype in getattr(message, "alternatives", [])
        if mimetype == "text/html"
    ]
    headers = {"Auto-Submitted": "auto-generated", **message.extra_headers}
    rows = [
        OutgoingEmail.objects.create(
            to=address,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            subject=str(message.subject),
            body=str(message.body),
            html_body=html[0] if html else "",
            headers=headers,
        )
        for address in message.to
    ]
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: publish(ids))
    return rows


def publish(email_ids: list[int]) -> None:
    """Ask a worker to send, now; with the broker down the sweeper sends them later."""
    for pk in email_ids:
        try:
            current_app.send_task(SEND_EMAIL, args=(pk,), retry=False)
        except Exception:
            log.warning("Could not queue email %s; the sweeper will send it", pk)


def send_email(email_id: int, *, now: datetime | None = None) -> str:
    """Send one row if it is waiting and due; return what happened to it."""
    now = now or timezone.now()
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status__in=WAITING, next_attempt_at__lte=now)
            .first()
        )
        if email is None:
            return _why_not_claimed(email_id, now)
        email.status, email.lease_expires_at = DeliveryStatus.SENDING, now + LEASE
        email.attempts += 1
        email.save(update_fields=["status", "lease_expires_at", "attempts", "updated_at"])
    # Outside the lock: the row says "sending" under our lease while the server works.
    try:
        _send(email)
    except Exception as exc:
        if email.attempts >= MAX_ATTEMPTS:
            error = f"Gave up after {email.attempts} attempts: {exc}"
            return _finish(email, DeliveryStatus.FAILED, error=error, **CONTENT)
        return _finish(
            email, DeliveryStatus.RETRYING, error=str(exc),
            next_attempt_at=timezone.now() + backoff(email.attempts),
        )  # fmt: skip
    return _finish(email, DeliveryStatus.SENT, sent_at=timezone.now(), **CONTENT)


def _send(email: OutgoingEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=[email.to],
        headers=email.headers,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    message.send()


def _why_not_claimed(email_id: int, now: datetime) -> str:
    found = OutgoingEmail.objects.filter(pk=email_id).values_list("status", "next_attempt_at")
    if not found:
        return "busy"  # gone, or locked by another worker
    status, due = found[0]
    if status in WAITING:
        return "not due" if due > now else "busy"
    return status


def _finish(email: OutgoingEmail, status: str, *, error: str = "", **fields: object) -> str:
    """Record the outcome, only if the row is still ours (sending under our lease)."""
    updated = OutgoingEmail.objects.filter(
        pk=email.pk, status=DeliveryStatus.SENDING, lease_expires_at=email.lease_expires_at
    ).update(
        status=status, last_error=error[:500], lease_expires_at=None,
        updated_at=timezone.now(), **fields,
    )  # fmt: skip
    if not updated and status == DeliveryStatus.SENT:
        # The sweeper gave up on us (uncertain) while the server worked: now we know.
        updated = OutgoingEmail.objects.filter(
            pk=email.pk, status=DeliveryStatus.UNCERTAIN, attempts=email.attempts
        ).update(status=status, last_error="", updated_at=timezone.now(), **fields)
    if not updated:
        log.error(
            "Email %s finished as %s after its lease ran out; left as it was", email.pk, status
        )
    return status


def sweep_emails(*, now: datetime | None = None) -> dict[str, int]:
    """Re-queue emails that are due and were missed; mark sends whose worker vanished as
    uncertain (never sent again by itself)."""
    now = now or timezone.now()
    uncertain = OutgoingEmail.objects.filter(
        status=DeliveryStatus.SENDING, lease_expires_at__lt=now
    ).update(
        status=DeliveryStatus.UNCERTAIN, lease_expires_at=None, updated_at=now, **CONTENT,
        last_error="The sending worker stopped before reporting back: the email may have been sent.",
    )  # fmt: skip
    due = list(
        OutgoingEmail.objects.filter(
            status__in=WAITING, next_attempt_at__lte=now, created_at__lte=now - GRACE
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    publish(due)
    return {"requeued": len(due), "uncertain": uncertain}
