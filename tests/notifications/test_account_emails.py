"""The outbox of account emails (sign-up, password reset, notices): written by the request,
sent by a worker after it, once; retried when the mail server fails, then dead-lettered;
missed sends re-queued by the sweeper. Real PostgreSQL, Redis and Celery worker."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker expects)
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import Client
from django.utils import timezone

from notifications import emails, services
from notifications.models import DeliveryStatus, OutgoingEmail
from notifications.tasks import send_email
from portal.celery import app
from tests.helpers import purge_celery_queue, reload, wait_until

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class BrokenMailBackend(BaseEmailBackend):
    """A mail server that drops the connection: a temporary failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def queued(to: str = "dee@example.org") -> OutgoingEmail:
    message = EmailMultiAlternatives(
        subject="Confirm your email address",
        body="Open https://portal.example.org/account/confirm-email/secret-key/",
        to=[to],
    )
    message.attach_alternative("<p>Open the link</p>", "text/html")
    (row,) = emails.queue_email(message)
    return row


@pytest.mark.django_db
def test_the_same_email_task_run_twice_sends_one_email():
    row = queued()

    send_email(row.pk)
    send_email(row.pk)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["dee@example.org"]
    assert sent.alternatives[0].content == "<p>Open the link</p>"
    row = reload(row)
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 1)
    assert row.body == row.html_body == ""  # the link is not kept once it has gone


@pytest.mark.django_db
def test_a_dropped_connection_is_retried_then_the_email_is_a_dead_letter(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailBackend"}}
    row = queued()

    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        outcome = emails.send_email(row.pk, now=reload(row).next_attempt_at)
        if attempt < services.MAX_ATTEMPTS:
            assert outcome == DeliveryStatus.RETRYING
            assert reload(row).next_attempt_at > timezone.now()

    row = reload(row)
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, services.MAX_ATTEMPTS)
    assert "Connection unexpectedly closed" in row.last_error
    assert row.body == ""
    settings.MAILERS = LOCMEM
    assert emails.send_email(row.pk, now=timezone.now() + timedelta(days=1)) == "failed"
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_sweeper_requeues_a_missed_email_and_never_resends_a_vanished_send():
    missed, vanished = queued("missed@example.org"), queued("vanished@example.org")
    now = timezone.now()
    OutgoingEmail.objects.filter(pk=vanished.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, lease_expires_at=now + services.LEASE
    )

    early = emails.sweep_emails(now=now)
    later = emails.sweep_emails(now=now + services.LEASE + timedelta(seconds=1))
    purge_celery_queue()  # the sweep published to the real broker; no worker runs here

    assert early == {"requeued": 0, "uncertain": 0}  # the fast path gets its grace period
    assert later == {"requeued": 1, "uncertain": 1}
    assert reload(missed).status == DeliveryStatus.PENDING
    assert reload(vanished).status == DeliveryStatus.UNCERTAIN
    assert emails.send_email(vanished.pk) == DeliveryStatus.UNCERTAIN
    assert mail.outbox == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_sends_the_sign_up_email_after_the_request():
    purge_celery_queue()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        passphrase = "a long enough passphrase"
        response = Client().post(
            "/account/signup/",
            {"email": "new@example.org", "password1": passphrase, "password2": passphrase},
        )
        assert response.status_code == 302

        row = wait_until(lambda: OutgoingEmail.objects.filter(status=DeliveryStatus.SENT).first())

    assert row.to == "new@example.org"
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert "/account/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_email_queued_in_a_transaction_that_rolls_back_is_never_sent():
    def change_that_fails() -> None:
        with transaction.atomic():
            queued()
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert not OutgoingEmail.objects.exists()
