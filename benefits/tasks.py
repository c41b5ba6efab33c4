"""Thin, idempotent tasks: they take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from benefits import casework


@shared_task(
    ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=300,
    retry_jitter=True, max_retries=5,
)  # fmt: skip
def process_claim(claim_id: int) -> None:
    """Straight-through processing: decide the claim if that is safe, or leave it queued."""
    casework.try_straight_through(claim_id=claim_id)
