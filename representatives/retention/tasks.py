"""The nightly run of the retention schedule (``CELERY_BEAT_SCHEDULE["apply-retention"]``)."""

from __future__ import annotations

from celery import shared_task

from representatives.retention import services


@shared_task(name="representatives.retention.apply_retention", ignore_result=True)
def apply_retention() -> int:
    """Apply the schedule as of now; returns the run record's id. A second run the same
    night finds nothing left to do."""
    return services.apply_retention(apply=True, by=None).pk
