"""Drill: a worker is SIGKILLed with a batch of texts in flight.

A real ``celery worker`` takes a batch of three deliveries, hands the first text to the
provider (a file: the provider's record) and is killed while it waits for the answer.
Nothing may be sent twice: not when the task is delivered again to another worker, not
when the sweeper finds the sends' lease run out. ``manage.py outbox_resolve`` (a real
process) then asks the provider: the text it has is recorded as sent, the two it never got
are sent, once.
"""

from __future__ import annotations

import signal
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import create_customer
from notifications import services
from notifications.models import Channel, Delivery, DeliveryStatus, NotificationKind
from tests.drills.servers import Clock, manage, sms_references, start_worker
from tests.helpers import database_url, purge_celery_queue, reload, wait_until

pytestmark = [
    pytest.mark.drill,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
MOBILE = "07700 900123"


def text_to_someone(n: int) -> Delivery:
    customer = create_customer(
        by=None, legal_given_names=f"Person {n}", legal_family_name="Example", phone=MOBILE,
        contact_channels=["sms"],
    )  # fmt: skip
    with transaction.atomic():
        notification = services.notify(
            customer=customer, kind=NotificationKind.STATUS, title="Your claim has moved on"
        )
    return Delivery.objects.get(notification=notification, channel=Channel.SMS)


def test_a_worker_killed_mid_batch_sends_nothing_twice_and_outbox_resolve_settles_it(
    broker, queue, processes, folder, settings
):
    clock = Clock()
    sms_file = folder / "sms.jsonl"
    provider = {"SMS_BACKEND": "notifications.sms.FileBackend", "SMS_FILE_PATH": str(sms_file)}
    database = database_url(connection.settings_dict)
    batch = [text_to_someone(n) for n in range(3)]
    ids = [d.pk for d in batch]
    purge_celery_queue()  # their own requests were lost; the sweeper sends them as one batch
    services.publish(ids)

    first = start_worker(
        "first", broker=broker.url, database=database, queue=queue, folder=folder,
        **{**provider, "SMS_BACKEND": "tests.drills.backends.HangingFileSmsBackend"},
        HANG_AFTER_SMS_SECONDS="120",
    )  # fmt: skip
    processes.append(first)
    # The provider has the first text; the worker waits for its answer.
    wait_until(lambda: sms_references(sms_file) == [f"delivery-{ids[0]}"], timeout=60)
    first.send_signal(signal.SIGKILL)
    assert first.wait(timeout=10) == -signal.SIGKILL
    killed = clock.now()
    assert {reload(d).status for d in batch} == {DeliveryStatus.SENDING}  # all three claimed

    second = start_worker("second", broker=broker.url, database=database, queue=queue,
                          folder=folder, **provider)  # fmt: skip
    processes.append(second)
    # Redis hands an unacknowledged task out again after the visibility timeout (an hour):
    # the same batch again now, then a new text. The solo worker takes them in order, so
    # once the new one is sent the batch has been looked at again.
    services.publish(ids)
    later = text_to_someone(3)
    wait_until(lambda: reload(later).status == DeliveryStatus.SENT, timeout=60)
    assert sorted(sms_references(sms_file)) == sorted(
        [f"delivery-{ids[0]}", f"delivery-{later.pk}"]
    )
    assert {reload(d).status for d in batch} == {DeliveryStatus.SENDING}

    # The lease runs out: the sweeper says the sends may have happened, and sends nothing.
    swept = services.sweep(now=timezone.now() + services.LEASE + timedelta(seconds=1))
    assert swept["uncertain"] == 3
    assert {reload(d).status for d in batch} == {DeliveryStatus.UNCERTAIN}

    # The operator looks first (in this process, asking the same provider), then resolves.
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = provider["SMS_BACKEND"], str(sms_file)
    dry = StringIO()
    call_command("outbox_resolve", "--dry-run", stdout=dry)
    assert dry.getvalue().splitlines()[-1] == (
        "Checked and delivered: 1, resent: 2, left uncertain: 0"
    )
    assert {reload(d).status for d in batch} == {DeliveryStatus.UNCERTAIN}

    resolving = clock.now()
    env = {"database": database, "broker": broker.url, "CELERY_QUEUE": queue, **provider}
    resolved = manage("outbox_resolve", **env)
    assert resolved.returncode == 0, resolved.stderr
    lines = resolved.stdout.splitlines()
    assert (
        f"  delivery {ids[0]} (sms) of notification {batch[0].notification_id}: delivered."
        in (lines[0])
    )
    assert lines[-1] == "Checked and delivered: 1, resent: 2, left uncertain: 0"
    wait_until(
        lambda: not Delivery.objects.filter(pk__in=ids).exclude(status="sent").exists(), timeout=60
    )
    settled = clock.now()
    print(
        f"\nworker drill: killed at {killed:.1f} s; outbox_resolve settled all three "
        f"{settled - resolving:.1f} s after it was started"
    )

    sent = sms_references(sms_file)
    assert sorted(sent) == sorted([*(f"delivery-{pk}" for pk in ids), f"delivery-{later.pk}"])
    assert reload(batch[0]).provider_id  # the provider's id for the text it had
    again = StringIO()
    call_command("outbox_resolve", stdout=again)
    assert again.getvalue().splitlines()[-1] == (
        "Checked and delivered: 0, resent: 0, left uncertain: 0"
    )
    assert sms_references(sms_file) == sent
