""" "Download my data" through the real path: the page's POST commits the export, the
queued task reaches a real Celery worker (in-process, on the real Redis broker, as in
tests/notifications/test_outbox.py), which builds it, records its progress, and tells the
person, whose email then leaves through the outbox on the same worker."""

from __future__ import annotations

import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker expects)
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

import representatives.tasks  # noqa: F401  (the worker's tasks, as autodiscovery loads them)
from notifications.models import Delivery, DeliveryStatus, Notification
from portal.celery import app
from representatives.models import DataExport
from tests.helpers import purge_celery_queue, wait_until
from tests.representatives.export_factory import open_export


@pytest.fixture
def worker(transactional_db, django_db_serialized_rollback):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    purge_celery_queue()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w


@pytest.mark.worker
def test_asking_on_the_page_builds_the_export_on_a_worker_and_tells_the_person(worker, citizen):
    client = Client()
    client.force_login(citizen)

    asked = client.post(reverse("representatives:export"))
    assert asked.status_code == 302

    def ready():
        export = DataExport.objects.filter(customer=citizen.customer).first()
        return export if export and export.status == DataExport.Status.READY else None

    export = wait_until(ready, timeout=60)

    assert export.progress == 100
    assert export.attempts == 1
    assert export.size
    assert len(export.sha256) == 64
    assert open_export(export).data["profile"]["reference"] == citizen.customer.reference
    note = Notification.objects.get(
        customer=citizen.customer, title="Your data is ready to download"
    )
    assert note.link == reverse("representatives:export")
    wait_until(
        lambda: Delivery.objects.filter(
            notification=note, channel="email", status=DeliveryStatus.SENT
        ).exists()
    )
    [email] = [m for m in mail.outbox if "ready to download" in m.subject]
    assert email.to == ["alice@example.org"]
    # The page, asked again, offers the download.
    page = client.get(reverse("representatives:export")).content.decode()
    assert reverse("representatives:export_download", args=[export.pk]) in page
