"""The outbox's quality bar: nothing lost when the broker is down, nothing sent twice when a
task runs twice or a worker dies mid-send, preferences and quiet hours honoured, bad
contact details recorded as failures, temporary failures retried with backoff and then
dead-lettered.

Everything runs on the real PostgreSQL and Redis; the delivery tests use a real Celery
worker (in-process, like tests/portal/test_celery_worker.py, or a real ``celery worker``
subprocess that is SIGKILLed mid-send).
"""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker expects)
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemEmailBackend
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.services import create_customer
from benefits.claims import lifecycle
from benefits.models import Claim, ClaimStatus
from notifications import services, sms
from notifications.models import Channel, Delivery, DeliveryStatus, Notification, NotificationKind
from notifications.tasks import deliver_batch
from portal.celery import app
from tests.claim_factory import sent_claim
from tests.helpers import database_url, purge_celery_queue, reload, wait_until

LONDON = ZoneInfo("Europe/London")
MOBILE = "07700 900123"


# --- Backends standing in for providers (also importable by a worker subprocess) ---------------


class BrokenMailBackend(BaseEmailBackend):
    """A mail server that drops the connection: a temporary failure."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SlowMailBackend(LocmemEmailBackend):
    """Locmem, but the send takes long enough for a second worker to try at the same time."""

    def send_messages(self, email_messages):
        time.sleep(0.5)
        return super().send_messages(email_messages)


class DyingSmsBackend(sms.LocmemBackend):
    """The provider accepts the message, then the worker process dies before it hears back."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        super().send(to=to, body=body, reference=reference)
        raise SystemExit("worker killed")


class SweptDuringSendSmsBackend(sms.LocmemBackend):
    """A send so slow that the sweeper runs (and finds the lease expired) before it returns."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        services.sweep(now=timezone.now() + services.LEASE + timedelta(seconds=1))
        return super().send(to=to, body=body, reference=reference)


class SlowFileSmsBackend(sms.FileBackend):
    """For the worker subprocess: hands the message over (one line in the file), then waits
    SLOW_SMS_SECONDS for the provider's answer, long enough to be SIGKILLed meanwhile."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        message_id = super().send(to=to, body=body, reference=reference)
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "0")))
        return message_id


# --- Helpers and fixtures -----------------------------------------------------------------------


def make_customer(*, channels, email="", phone=""):
    """A person a caseworker set up, with no sign-in: only the contact details given."""
    return create_customer(
        by=None, legal_given_names="Dee", legal_family_name="Example",
        email=email, phone=phone, contact_channels=channels,
    )  # fmt: skip


def status_update(customer, kind=NotificationKind.STATUS):
    return services.notify(customer=customer, kind=kind, title="Your claim has moved on")


def delivery_of(notification, channel) -> Delivery:
    return Delivery.objects.get(notification=notification, channel=channel)


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"
    sms.outbox.clear()
    sms.fail_next.clear()
    yield sms.outbox
    sms.outbox.clear()
    sms.fail_next.clear()


@pytest.fixture
def worker(transactional_db, django_db_serialized_rollback):
    assert django_settings.CELERY_BROKER_URL.startswith("redis://")
    purge_celery_queue()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w


def _use_broker(url: str) -> None:
    """Point the app at ``url`` and forget the connection and producer pools made for the
    old one (celery caches both; this is what it does itself after a fork). They are not
    closed: kombu keeps them in a registry and hands the same ones out again when the
    URL comes back, to the in-process worker too."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


class Broker:
    """Switches the app between the real broker and one where nothing listens (port 1),
    so that publishing really fails."""

    real = django_settings.CELERY_BROKER_URL

    def down(self) -> None:
        _use_broker("redis://localhost:1/0")

    def up(self) -> None:
        _use_broker(self.real)


@pytest.fixture
def broker():
    controller = Broker()
    try:
        yield controller
    finally:
        controller.up()


def sent(subject_part: str) -> list:
    return [m for m in mail.outbox if subject_part in m.subject]


# --- 1. The broker is down --------------------------------------------------------------------


@pytest.mark.worker
def test_a_status_change_while_the_broker_is_down_is_committed_and_delivered_later(
    transactional_db, django_db_serialized_rollback, citizen, caseworker, broker
):
    # Submitted while no worker ran; the queued task is then lost (purged), as a broker
    # restarting without persistence would lose it.
    claim = sent_claim(citizen)
    purge_celery_queue()
    broker.down()
    with pytest.raises(OperationalError):
        deliver_batch.apply_async(([0],), retry=False)  # the broker really is unreachable
    mail.outbox.clear()

    with transaction.atomic():  # as a request under ATOMIC_REQUESTS would
        lifecycle.transition(claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker)

    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW
    notification = Notification.objects.get(customer=citizen.customer, title__contains="looking at")
    assert notification.read_at is None
    delivery = delivery_of(notification, Channel.EMAIL)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 0
    assert mail.outbox == []

    broker.up()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = services.sweep(now=timezone.now() + services.GRACE + timedelta(seconds=1))
        assert result["requeued"] == 2  # the submission's email and the status change's
        wait_until(
            lambda: (
                not Delivery.objects.filter(
                    notification__customer=citizen.customer, status__in=("pending", "sending")
                ).exists()
            )
        )

    assert len(sent("looking at")) == 1
    assert len(sent("We have your")) == 1
    assert len(mail.outbox) == 2
    assert {tuple(m.to) for m in mail.outbox} == {("alice@example.org",)}
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1


@pytest.mark.worker
def test_a_notification_committed_with_the_broker_up_is_delivered_by_the_worker(worker, caseworker):
    customer = make_customer(channels=["email"], email="dee@example.org")

    with transaction.atomic():
        notification = status_update(customer)

    delivery = wait_until(
        lambda: Delivery.objects.filter(
            notification=notification, status=DeliveryStatus.SENT
        ).first()
    )
    assert delivery.attempts == 1
    assert [m.to for m in mail.outbox] == [["dee@example.org"]]


# --- 2. The same task twice -------------------------------------------------------------------


def test_the_same_delivery_task_run_twice_sends_one_email(db):
    customer = make_customer(channels=["email"], email="dee@example.org")
    delivery = delivery_of(status_update(customer), Channel.EMAIL)

    deliver_batch([delivery.pk])
    deliver_batch([delivery.pk])

    assert len(mail.outbox) == 1
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert delivery.provider_id == mail.outbox[0].extra_headers["Message-ID"]


def test_the_same_delivery_task_run_by_two_workers_at_once_sends_one_email(
    transactional_db, django_db_serialized_rollback, settings
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.SlowMailBackend"}}
    customer = make_customer(channels=["email"], email="dee@example.org")
    delivery = delivery_of(status_update(customer), Channel.EMAIL)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run_task():
        try:
            start.wait(timeout=10)
            deliver_batch([delivery.pk])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_task) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(mail.outbox) == 1
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1


# --- 3. A worker dies mid-send ----------------------------------------------------------------


def test_a_send_whose_worker_died_is_not_repeated_and_becomes_uncertain(db, settings):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    delivery = delivery_of(status_update(customer), Channel.SMS)
    settings.SMS_BACKEND = f"{__name__}.DyingSmsBackend"
    now = timezone.now()

    with pytest.raises(SystemExit):
        services.deliver(delivery.pk, now=now)

    assert len(sms.outbox) == 1  # the provider took it; we never heard back
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENDING
    assert delivery.lease_expires_at == now + services.LEASE

    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"
    # The task is redelivered while the lease still runs: left alone, nothing sent again.
    assert services.deliver(delivery.pk, now=now + timedelta(seconds=10)) == "sending"
    assert services.sweep(now=now + timedelta(minutes=1))["uncertain"] == 0
    assert reload(delivery).status == DeliveryStatus.SENDING

    # The lease runs out: the sweeper records that the message may have gone.
    after_lease = now + services.LEASE + timedelta(seconds=1)
    assert services.sweep(now=after_lease)["uncertain"] == 1
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.UNCERTAIN
    assert "may have been sent" in delivery.last_error
    assert delivery.lease_expires_at is None
    assert services.deliver(delivery.pk, now=after_lease) == DeliveryStatus.UNCERTAIN
    assert len(sms.outbox) == 1
    assert reload(delivery).attempts == 1


def test_a_send_that_outlived_its_lease_is_recorded_as_sent_when_it_succeeds(db, settings):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    delivery = delivery_of(status_update(customer), Channel.SMS)
    # The send takes longer than the lease: the sweeper marks it uncertain meanwhile.
    settings.SMS_BACKEND = f"{__name__}.SweptDuringSendSmsBackend"

    assert services.deliver(delivery.pk) == DeliveryStatus.SENT

    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.last_error == ""
    assert delivery.provider_id == sms.outbox[0].id
    assert delivery.attempts == 1


def test_a_failure_reported_after_the_lease_ran_out_leaves_the_send_uncertain(db, settings):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    delivery = delivery_of(status_update(customer), Channel.SMS)
    settings.SMS_BACKEND = f"{__name__}.SweptDuringSendSmsBackend"
    sms.fail_next.append(sms.TemporaryFailure("Provider timed out"))

    services.deliver(delivery.pk)

    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.UNCERTAIN  # staff check it; never resent blindly
    assert "may have been sent" in delivery.last_error
    assert services.deliver(delivery.pk, now=timezone.now() + timedelta(hours=2)) == "uncertain"
    assert sms.outbox == []


@pytest.mark.worker
def test_a_real_worker_killed_mid_send_never_sends_twice(
    transactional_db, django_db_serialized_rollback, tmp_path
):
    """A real ``celery worker`` process is SIGKILLed while the provider holds the message.

    Redis keeps the unacknowledged task and would hand it out again only after the
    visibility timeout (an hour), so the test queues the same task again itself, as that
    redelivery would, to a second worker."""
    outbox = tmp_path / "sms.jsonl"
    customer = make_customer(channels=["sms"], phone=MOBILE)
    queue = app.conf.task_default_queue
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),  # the test database
        "CELERY_QUEUE": queue,
        "SMS_BACKEND": f"{__name__}.SlowFileSmsBackend",
        "SMS_FILE_PATH": str(outbox),
    }
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "portal", "worker", "--pool=solo",
        "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=WARNING", "-n", f"outbox-test-{os.getpid()}@%h",
    ]  # fmt: skip

    def start(name: str, **extra_env: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("wb")
        return subprocess.Popen(
            command, cwd=django_settings.BASE_DIR, env={**env, **extra_env},
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def sent_references() -> list[str]:
        if not outbox.exists():
            return []
        return [json.loads(line)["reference"] for line in outbox.read_text().splitlines()]

    purge_celery_queue()
    first = start("first", SLOW_SMS_SECONDS="120")
    second = None
    try:
        with transaction.atomic():
            delivery = delivery_of(status_update(customer), Channel.SMS)
        # The provider has the message and the worker is waiting for its answer.
        wait_until(lambda: sent_references() == [f"delivery-{delivery.pk}"], timeout=60)
        assert reload(delivery).status == DeliveryStatus.SENDING
        first.send_signal(signal.SIGKILL)
        assert first.wait(timeout=10) == -signal.SIGKILL

        second = start("second")
        with transaction.atomic():
            later = delivery_of(status_update(customer), Channel.SMS)
        deliver_batch.apply_async(([delivery.pk, later.pk],), retry=False)
        # The solo worker runs the batch in order: once the later row is sent, the killed
        # one has been looked at again.
        wait_until(lambda: reload(later).status == DeliveryStatus.SENT, timeout=60)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        _forget_unacked(queue)

    assert sorted(sent_references()) == sorted([f"delivery-{delivery.pk}", f"delivery-{later.pk}"])
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENDING
    assert delivery.attempts == 1
    services.sweep(now=timezone.now() + services.LEASE + timedelta(seconds=1))
    assert reload(delivery).status == DeliveryStatus.UNCERTAIN


def _forget_unacked(queue: str) -> None:
    """Drop the killed worker's unacknowledged task from Redis, so that an hour from now
    it is not restored into a test queue nobody reads."""
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        client = channel.client
        for tag, payload in client.hgetall(channel.unacked_key).items():
            _message, _exchange, routing_key = json.loads(payload)
            if routing_key == queue:
                client.hdel(channel.unacked_key, tag)
                client.zrem(channel.unacked_index_key, tag)


# --- 4. Preferences and quiet hours -----------------------------------------------------------


def test_someone_who_turned_off_text_reminders_gets_no_text_for_a_reminder(db):
    customer = make_customer(channels=["email", "sms"], email="dee@example.org", phone=MOBILE)
    services.save_preferences(
        customer=customer, channels={"reminder": ["email"], "status": ["email", "sms"]},
        quiet_from=None, quiet_until=None,
    )  # fmt: skip

    reminder = status_update(customer, kind=NotificationKind.REMINDER)
    update = status_update(customer, kind=NotificationKind.STATUS)

    assert set(reminder.deliveries.values_list("channel", flat=True)) == {Channel.EMAIL}
    assert set(update.deliveries.values_list("channel", flat=True)) == {Channel.EMAIL, Channel.SMS}


def test_a_text_due_in_quiet_hours_waits_until_they_end(db):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    services.save_preferences(
        customer=customer, channels={}, quiet_from=clock(21, 0), quiet_until=clock(8, 0)
    )
    delivery = delivery_of(status_update(customer), Channel.SMS)
    day = timezone.localdate() + timedelta(days=1)  # in the future, so the row is due
    late_evening = datetime.combine(day, clock(23, 0), tzinfo=LONDON)
    morning = datetime.combine(day + timedelta(days=1), clock(8, 0), tzinfo=LONDON)

    assert services.deliver(delivery.pk, now=late_evening) == "quiet hours"
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == morning
    assert delivery.attempts == 0
    assert sms.outbox == []
    assert services.deliver(delivery.pk, now=morning - timedelta(minutes=1)) == "not due"
    assert sms.outbox == []

    assert services.deliver(delivery.pk, now=morning + timedelta(minutes=1)) == "sent"
    assert [m.to for m in sms.outbox] == ["+447700900123"]
    assert reload(delivery).status == DeliveryStatus.SENT


def test_a_text_due_after_midnight_in_quiet_hours_waits_until_the_same_morning(db):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    services.save_preferences(
        customer=customer, channels={}, quiet_from=clock(21, 0), quiet_until=clock(8, 0)
    )
    delivery = delivery_of(status_update(customer), Channel.SMS)
    day = timezone.localdate() + timedelta(days=1)

    services.deliver(delivery.pk, now=datetime.combine(day, clock(2, 30), tzinfo=LONDON))

    assert reload(delivery).next_attempt_at == datetime.combine(day, clock(8, 0), tzinfo=LONDON)
    assert sms.outbox == []


# --- 5. Bad contact details -------------------------------------------------------------------


def test_no_email_address_fails_the_email_but_the_notification_shows_in_the_portal(db):
    customer = make_customer(channels=["email"])  # no email, no sign-in

    notification = status_update(customer)
    delivery = delivery_of(notification, Channel.EMAIL)
    assert services.deliver(delivery.pk) == DeliveryStatus.FAILED

    delivery = reload(delivery)
    assert delivery.last_error == "No email address to send to."
    assert delivery.attempts == 1
    assert mail.outbox == []
    assert Notification.objects.filter(pk=notification.pk, read_at__isnull=True).exists()
    assert services.unread_count_cached(customer_id=customer.pk) == 1


def test_the_sign_in_email_is_used_when_there_is_no_contact_email(citizen):
    customer = citizen.customer
    customer.email = ""
    customer.save(update_fields=["email"])
    delivery = delivery_of(status_update(customer), Channel.EMAIL)

    assert services.deliver(delivery.pk) == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


@pytest.mark.parametrize(
    ("phone", "reason"),
    [
        ("12345", "too short"),
        ("01632 960123", "not a UK mobile number"),
        ("", "No mobile number"),
    ],
)
def test_a_number_that_is_not_a_mobile_fails_the_text_with_the_reason(db, phone, reason):
    customer = make_customer(channels=["sms"], phone=phone)
    delivery = delivery_of(status_update(customer), Channel.SMS)

    assert services.deliver(delivery.pk) == DeliveryStatus.FAILED

    delivery = reload(delivery)
    assert reason in delivery.last_error
    assert delivery.attempts == 1
    assert sms.outbox == []
    assert services.deliver(delivery.pk) == DeliveryStatus.FAILED  # never retried
    assert reload(delivery).attempts == 1


def test_a_letter_waits_in_the_print_queue_until_a_caseworker_posts_it(db, caseworker):
    customer = make_customer(channels=["post"])
    delivery = delivery_of(status_update(customer), Channel.LETTER)

    assert services.deliver(delivery.pk) == DeliveryStatus.PRINT_QUEUE
    assert services.deliver(delivery.pk) == DeliveryStatus.PRINT_QUEUE
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.PRINT_QUEUE
    assert delivery.sent_at is None
    assert delivery.attempts == 1

    assert services.mark_posted(delivery=delivery, by=caseworker) is True
    assert services.mark_posted(delivery=delivery, by=caseworker) is False

    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.sent_at is not None
    assert delivery.provider_id == f"posted by {caseworker.pk}"


# --- 6. Retries -------------------------------------------------------------------------------


def test_a_temporary_failure_is_retried_after_a_backoff(db):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    delivery = delivery_of(status_update(customer), Channel.SMS)
    sms.fail_next.append(sms.TemporaryFailure("Provider answered 503"))
    before = timezone.now()

    assert services.deliver(delivery.pk, now=before) == DeliveryStatus.RETRYING

    delivery = reload(delivery)
    assert delivery.attempts == 1
    assert delivery.last_error == "Provider answered 503"
    assert delivery.lease_expires_at is None
    assert delivery.next_attempt_at >= before + timedelta(seconds=20)  # 30 s, less jitter
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=40)
    assert services.deliver(delivery.pk, now=delivery.next_attempt_at - timedelta(seconds=1)) == (
        "not due"
    )
    assert sms.outbox == []

    assert services.deliver(delivery.pk, now=delivery.next_attempt_at) == DeliveryStatus.SENT
    assert len(sms.outbox) == 1
    delivery = reload(delivery)
    assert delivery.attempts == 2
    assert delivery.last_error == ""


def test_a_mail_server_that_drops_the_connection_is_retried(db, settings):
    customer = make_customer(channels=["email"], email="dee@example.org")
    delivery = delivery_of(status_update(customer), Channel.EMAIL)
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailBackend"}}

    assert services.deliver(delivery.pk) == DeliveryStatus.RETRYING
    delivery = reload(delivery)
    assert "Connection unexpectedly closed" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert services.deliver(delivery.pk, now=delivery.next_attempt_at) == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_a_retried_row_is_requeued_by_the_sweeper_when_its_time_comes(db):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    delivery = delivery_of(status_update(customer), Channel.SMS)
    sms.fail_next.append(sms.TemporaryFailure("Provider answered 503"))
    services.deliver(delivery.pk)
    delivery = reload(delivery)

    # The sweep publishes to the real broker: what it queues is purged, no worker runs here.
    early = services.sweep(now=delivery.next_attempt_at - timedelta(seconds=1))
    due = services.sweep(now=delivery.next_attempt_at + services.GRACE)
    purge_celery_queue()

    assert early["requeued"] == 0
    assert due["requeued"] == 1


def test_after_the_last_attempt_a_temporary_failure_is_a_dead_letter(db):
    customer = make_customer(channels=["sms"], phone=MOBILE)
    delivery = delivery_of(status_update(customer), Channel.SMS)
    sms.fail_next.extend(
        sms.TemporaryFailure(f"Provider answered 503 ({n})") for n in range(services.MAX_ATTEMPTS)
    )

    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        due = reload(delivery).next_attempt_at
        outcome = services.deliver(delivery.pk, now=due)
        if attempt < services.MAX_ATTEMPTS:
            assert outcome == DeliveryStatus.RETRYING

    assert outcome == DeliveryStatus.FAILED
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert delivery.last_error == (
        f"Gave up after {services.MAX_ATTEMPTS} attempts: Provider answered 503 (5)"
    )
    assert sms.outbox == []
    assert services.deliver(delivery.pk, now=timezone.now() + timedelta(days=1)) == "failed"
    assert sms.outbox == []


# --- 7. The beat schedule ---------------------------------------------------------------------


def test_the_beat_schedule_sweeps_every_minute_and_sends_reminders_daily():
    schedule = app.conf.beat_schedule
    by_task = {entry["task"]: entry for entry in schedule.values()}

    sweeper = by_task["notifications.tasks.sweep_outbox"]
    assert sweeper["schedule"] == timedelta(minutes=1)
    assert sweeper["options"]["expires"] <= 60  # a missed sweep is not run late, twice

    reminders = by_task["notifications.tasks.send_reminders"]
    assert reminders["schedule"].hour == {7}
    assert reminders["schedule"].minute == {30}
    assert reminders["schedule"].day_of_week == set(range(7))
    assert app.tasks["notifications.tasks.sweep_outbox"]
    assert app.tasks["notifications.tasks.send_reminders"]
