"""Thin, idempotent tasks: they take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from notifications import emails, occasions, services


@shared_task(ignore_result=True)
def deliver_batch(delivery_ids: list[int]) -> None:
    """Deliver each row; a row already sent, being sent or failed is left alone."""
    services.deliver_many(delivery_ids)


@shared_task(ignore_result=True)
def send_email(email_id: int) -> None:
    """Send one account email; one already sent, being sent or failed is left alone."""
    emails.send_email(email_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> None:
    """Both outboxes: notifications' deliveries and account emails."""
    services.sweep()
    emails.sweep_emails()


@shared_task(ignore_result=True)
def send_reminders() -> None:
    """The daily reminders: every occasion the apps registered in the reminders group."""
    occasions.run(group=occasions.REMINDERS)
