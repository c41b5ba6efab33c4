"""Thin, idempotent Celery tasks: they take ids and call one service."""

from __future__ import annotations

import socket

from celery import shared_task

from portal import services


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    services.record_heartbeat(hostname=socket.gethostname())


@shared_task(
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def complete_worker_probe(probe_id: int) -> None:
    services.complete_worker_probe(probe_id=probe_id, hostname=socket.gethostname())


@shared_task(ignore_result=True)
def prune_worker_probes() -> None:
    services.prune_worker_probes()
