"""A task queued in a request runs on a real worker over the real Redis broker."""

from __future__ import annotations

import celery.contrib.testing.tasks  # noqa: F401  (registers the ping task start_worker expects)
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from portal.celery import app
from portal.models import Heartbeat, WorkerProbe
from tests.helpers import wait_until

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.worker]


@pytest.fixture
def worker():
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as w:
        yield w


def test_task_queued_by_a_request_runs_on_the_worker_and_records_in_postgres(
    worker, operator_client
):
    response = operator_client.post("/admin/system-status/")

    assert response.status_code == 302
    probe = WorkerProbe.objects.get()
    done = wait_until(lambda: WorkerProbe.objects.filter(completed_at__isnull=False).first())
    assert done.pk == probe.pk
    assert done.requested_by.email == "operator@example.org"
    assert done.hostname
    assert done.round_trip is not None


def test_beat_heartbeat_task_records_the_worker(worker):
    from portal.tasks import record_heartbeat

    record_heartbeat.delay()

    heartbeat = wait_until(lambda: Heartbeat.objects.filter(name="worker").first())
    assert heartbeat.hostname


def test_a_redelivered_probe_task_changes_nothing(worker, operator):
    from portal import services
    from portal.tasks import complete_worker_probe

    probe = services.request_worker_probe(by=operator)
    first = wait_until(
        lambda: WorkerProbe.objects.filter(pk=probe.pk, completed_at__isnull=False).first()
    )

    # The broker delivers the same task again (acks_late after a worker died).
    complete_worker_probe(probe.pk)

    probe.refresh_from_db()
    assert probe.completed_at == first.completed_at
    assert services.complete_worker_probe(probe_id=probe.pk) is False


def test_celery_is_configured_for_reliable_delivery():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert conf.task_soft_time_limit < conf.task_time_limit < visibility
    assert "worker-heartbeat" in conf.beat_schedule
