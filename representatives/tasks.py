"""Thin, idempotent tasks: they take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from representatives.export import services as export_services


@shared_task(ignore_result=True)
def build_data_export(export_id: int) -> None:
    """Build a waiting export; one already claimed, ready or failed is left alone."""
    export_services.build_export(export_id=export_id)


@shared_task(ignore_result=True)
def requeue_data_exports() -> None:
    """Queue again the exports the fast path lost, and those whose worker died."""
    export_services.requeue_exports()


@shared_task(ignore_result=True)
def expire_data_exports() -> None:
    """Delete the files of exports past their seven days."""
    export_services.expire_exports()
