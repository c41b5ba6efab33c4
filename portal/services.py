"""State changes for operational records. Each function is one transaction."""

from __future__ import annotations

from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from portal.models import Heartbeat, WorkerProbe

WORKER_HEARTBEAT = "worker"


@transaction.atomic(durable=True)
def record_heartbeat(*, name: str = WORKER_HEARTBEAT, hostname: str = "") -> Heartbeat:
    heartbeat, _ = Heartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now(), "hostname": hostname[:255]}
    )
    return heartbeat


@transaction.atomic(durable=True)
def request_worker_probe(*, by) -> WorkerProbe:  # by: accounts.User
    """Record a probe and queue it to a worker once the row is committed."""
    probe = WorkerProbe.objects.create(requested_by=by)
    transaction.on_commit(
        lambda: current_app.send_task("portal.tasks.complete_worker_probe", args=(probe.pk,))
    )
    return probe


def complete_worker_probe(*, probe_id: int, hostname: str = "") -> bool:
    """Mark a probe done. Conditional UPDATE: a redelivered task changes nothing."""
    updated = WorkerProbe.objects.filter(pk=probe_id, completed_at__isnull=True).update(
        completed_at=timezone.now(), hostname=hostname[:255]
    )
    return updated == 1


def prune_worker_probes(*, older_than: timedelta = timedelta(days=30)) -> int:
    deleted, _ = WorkerProbe.objects.filter(requested_at__lt=timezone.now() - older_than).delete()
    return deleted
