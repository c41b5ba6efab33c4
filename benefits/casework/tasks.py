"""Thin, idempotent tasks: they take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from benefits.casework import straight_through


@shared_task(
    name="benefits.tasks.process_claim",  # the name queued messages carry since it was first sent
    ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=300,
    retry_jitter=True, max_retries=5,
)  # fmt: skip
def process_claim(claim_id: int) -> None:
    """Straight-through processing: decide the claim if that is safe, or leave it queued."""
    straight_through.try_straight_through(claim_id=claim_id)


def queue_straight_through(sender: object, *, claim_id: int, **kwargs: object) -> None:
    """Receiver of ``claims.signals.may_be_decided``: queue the claim for a worker now."""
    process_claim.apply_async((claim_id,), retry=False)


@shared_task(ignore_result=True)
def requeue_straight_through() -> None:
    """Beat, every minute: queue the checks whose request was never queued or was lost."""
    straight_through.requeue_missed_checks()
