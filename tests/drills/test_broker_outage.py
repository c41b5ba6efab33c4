"""Drill: the broker dies while a person sends a claim and is told about it.

A Redis of the drill's own is the broker, with a real ``celery worker`` process on it. The
broker is SIGKILLed (no persistence: whatever it held is gone), the person sends their claim
through the page and is notified; then the broker comes back empty. Nothing the person did
may fail or be lost, and after recovery each text goes once and the claim is decided once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from benefits.casework import straight_through
from benefits.models import Claim, ClaimStatus, Decision
from notifications import services
from notifications.models import Channel, Delivery, DeliveryStatus, NotificationKind
from portal.models import Heartbeat
from portal.tasks import record_heartbeat
from tests.claim_factory import ready_to_send
from tests.drills.servers import Clock, sms_references, start_worker
from tests.faults import Stopwatch
from tests.helpers import database_url, reload, set_channels, wait_until

pytestmark = [
    pytest.mark.drill,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
MOBILE = "07700 900123"


def test_the_broker_killed_while_a_claim_is_sent_loses_nothing_and_sends_each_text_once(
    broker, queue, processes, folder, citizen, citizen_client
):
    clock = Clock()
    customer = citizen.customer
    accounts_services.update_contact_details(
        customer=customer, by=citizen, phone=MOBILE, address_line_1="1 High Street",
        address_line_2="", town="Cardiff", postcode="CF10 1AA",
    )  # fmt: skip
    set_channels(citizen, ["sms"])  # texts: the provider's record is a file
    draft = ready_to_send(citizen)
    sms_file = folder / "sms.jsonl"
    processes.append(
        start_worker(
            "broker",
            broker=broker.url,
            database=database_url(connection.settings_dict),
            queue=queue,
            folder=folder,
            SMS_BACKEND="notifications.sms.FileBackend",
            SMS_FILE_PATH=str(sms_file),
        )
    )
    record_heartbeat.delay()
    wait_until(lambda: Heartbeat.objects.exists(), timeout=60)  # the worker is consuming

    broker.kill()
    with Stopwatch() as sending:
        response = citizen_client.post(
            reverse("claims:apply_check", args=[draft.pk]), {"declaration": "on"}
        )
    with Stopwatch() as telling, transaction.atomic():
        services.notify(
            customer=customer, kind=NotificationKind.MESSAGE, title="We have a question for you"
        )

    # The person got their page at once, and everything they did is saved.
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:sent", args=[draft.pk])
    # Sending a claim is a few seconds' work on a busy test machine with or without a
    # broker; before publishing was bounded, its two publishes alone took 12 s.
    assert sending.seconds < 6, f"sending the claim took {sending.seconds:.2f} s"
    assert telling.seconds < 1.5, f"notifying took {telling.seconds:.2f} s"
    claim = reload(draft)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.straight_through_due_at is not None
    texts = Delivery.objects.filter(notification__customer=customer, channel=Channel.SMS)
    assert texts.count() == 2  # "we have your application" and the question
    assert set(texts.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert sms_references(sms_file) == []

    broker.start()  # the same address, empty
    restarted = clock.now()
    # Beat's next runs, once their grace periods have passed (the clock moved on).
    swept = services.sweep(now=timezone.now() + services.GRACE + timedelta(seconds=1))
    checks = straight_through.requeue_missed_checks(
        now=timezone.now() + straight_through.REQUEUE_AFTER + timedelta(seconds=1)
    )
    assert (swept["requeued"], checks) == (2, 1)

    awarded = wait_until(
        lambda: Claim.objects.filter(pk=claim.pk, status=ClaimStatus.AWARDED).first(), timeout=60
    )
    wait_until(lambda: not texts.exclude(status=DeliveryStatus.SENT).exists(), timeout=60)
    recovery = clock.now() - restarted
    print(
        f"\nbroker drill: sending took {sending.seconds:.2f} s and notifying "
        f"{telling.seconds:.2f} s with the broker down; everything delivered and decided "
        f"{recovery:.1f} s after it restarted"
    )

    sent = sms_references(sms_file)
    assert sorted(sent) == sorted(f"delivery-{pk}" for pk in texts.values_list("pk", flat=True))
    assert len(sent) == 3  # the two above and the award: each once
    assert Decision.objects.filter(claim=awarded).count() == 1
    assert awarded.straight_through_due_at is None
    # The jobs' next runs find nothing left to do.
    assert services.sweep(now=timezone.now() + services.GRACE)["requeued"] == 0
    assert (
        straight_through.requeue_missed_checks(
            now=timezone.now() + straight_through.REQUEUE_AFTER + timedelta(seconds=1)
        )
        == 0
    )
