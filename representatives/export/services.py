""" "Download my data": asking for an export, building it, and deleting it when it expires.

- ``request_export``: one transaction; the person's row is locked, so a double submit
  finds the export the first made (a unique constraint backs this up). After commit the
  build is queued by name; if the broker is down, ``requeue_exports`` (beat) queues it.
- ``build_export``: the worker's job. It claims the row with a conditional UPDATE (a task
  run twice builds once), records its progress on the row as each section is done (so
  progress is committed as it goes: these are short transactions, not one), keeps the
  ZIP in private storage under a random name, and marks it ready and tells the person in
  one transaction. A failure is tried again by ``requeue_exports``, up to
  ``MAX_ATTEMPTS``; then the export fails and the person is told to ask again.
- ``expire_exports``: beat, hourly; set-based, in batches: deletes the files of exports
  past their seven days, then marks them expired.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from celery import current_app
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, User
from notifications.models import NotificationKind
from notifications.services import notify
from representatives.export import building
from representatives.models import DataExport

log = logging.getLogger(__name__)

S = DataExport.Status
IN_PROGRESS = (S.PENDING, S.BUILDING)
#: How long the person may download an export.
LIFETIME = timedelta(days=7)
#: The fast path (on commit) gets this long before beat queues a waiting export again.
REQUEUE_AFTER = timedelta(minutes=1)
#: A build still "being made" after this long lost its worker (the task time limit is 6
#: minutes): it is tried again.
STALE_BUILD = timedelta(minutes=15)
MAX_ATTEMPTS = 3
EXPIRE_BATCH = 500
REQUEUE_BATCH = 1000
#: The worker's task, queued by name: tasks call services, never the reverse.
BUILD_TASK = "representatives.tasks.build_data_export"


@transaction.atomic(durable=True)
def request_export(*, customer: Customer, by: User, now: datetime | None = None) -> DataExport:
    """The person asks for their data. While one export is waiting or being made, asking
    again returns it rather than starting another."""
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    current = DataExport.objects.filter(customer=customer, status__in=IN_PROGRESS).first()
    if current is not None:
        return current
    export = DataExport.objects.create(
        customer=customer, requested_by=by, requested_at=now or timezone.now()
    )
    transaction.on_commit(lambda: queue_build(export.pk))
    return export


def queue_build(export_id: int) -> None:
    """Ask a worker to build the export now. If the broker cannot be reached, say so and
    carry on: the row is committed, and ``requeue_exports`` queues it later."""
    try:
        current_app.send_task(BUILD_TASK, args=(export_id,), retry=False)
    except Exception:
        log.warning("Could not queue data export %s; beat will queue it again", export_id)


def build_export(*, export_id: int, now: datetime | None = None) -> str:
    """Build a waiting export; returns what happened ("ready", "failed", "retry", or
    "not waiting" when another run has it or it is done)."""
    now = now or timezone.now()
    claimed = DataExport.objects.filter(pk=export_id, status=S.PENDING).update(
        status=S.BUILDING, started_at=now, progress=0, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not waiting"
    export = DataExport.objects.select_related("customer").get(pk=export_id)
    customer = export.customer
    shown = [0]

    def progress(percent: int) -> None:
        if percent > shown[0]:
            shown[0] = percent
            DataExport.objects.filter(pk=export_id, status=S.BUILDING).update(progress=percent)

    stored = ""
    try:
        with building.build_zip(
            customer, made_at=now, language=customer.preferred_language, progress=progress
        ) as handle:
            sha256 = building.sha256_of(handle)
            size = handle.seek(0, 2)
            handle.seek(0)
            stored = DataExport._meta.get_field("file").generate_filename(
                export, f"{uuid.uuid4().hex}.zip"
            )
            stored = export.file.storage.save(stored, File(handle))
        return _finish(export, stored=stored, size=size, sha256=sha256, now=now)
    except Exception as exc:
        log.exception("Data export %s could not be built", export_id)
        if stored:
            export.file.storage.delete(stored)
        return _failed(export, error=f"{type(exc).__name__}: {exc}"[:500])


def _finish(export: DataExport, *, stored: str, size: int, sha256: str, now: datetime) -> str:
    with transaction.atomic():
        done = DataExport.objects.filter(pk=export.pk, status=S.BUILDING).update(
            status=S.READY, progress=100, finished_at=now, expires_at=now + LIFETIME,
            file=stored, size=size, sha256=sha256, error="",
        )  # fmt: skip
        if not done:  # given up on as stale meanwhile, and tried again: keep one file
            transaction.on_commit(lambda: export.file.storage.delete(stored))
            return "not waiting"
        # An earlier download is replaced by this one: only the newest is kept.
        older = list(
            DataExport.objects.filter(customer=export.customer_id, status=S.READY)
            .exclude(pk=export.pk)
            .values_list("pk", "file")
        )
        if older:
            DataExport.objects.filter(pk__in=[pk for pk, _name in older]).update(
                status=S.EXPIRED, file=""
            )
            names = [name for _pk, name in older if name]
            transaction.on_commit(lambda: _delete_files(names))
        customer = export.customer
        with translation.override(customer.preferred_language or None):
            until = date_format(timezone.localtime(now + LIFETIME), "j F Y")
        notify(
            customer=customer, kind=NotificationKind.STATUS,
            title=_("Your data is ready to download"),
            body=_(
                "The copy of your data you asked for is ready. You can download it until "
                "%(until)s. We will ask for your password again before it downloads."
            ),
            params={"until": until}, link=reverse("representatives:export"),
        )  # fmt: skip
    return "ready"


def _delete_files(names: list[str]) -> None:
    storage = DataExport._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def _failed(export: DataExport, *, error: str) -> str:
    with transaction.atomic():
        row = DataExport.objects.select_for_update().get(pk=export.pk)
        if row.status != S.BUILDING:
            return "not waiting"
        if row.attempts < MAX_ATTEMPTS:
            row.status, row.error, row.progress = S.PENDING, error, 0
            row.save(update_fields=["status", "error", "progress"])
            return "retry"
        row.status, row.error, row.finished_at = S.FAILED, error, timezone.now()
        row.save(update_fields=["status", "error", "finished_at"])
        notify(
            customer=export.customer, kind=NotificationKind.STATUS,
            title=_("We could not make your download"),
            body=_("Something went wrong while we made the copy of your data. Please ask again."),
            link=reverse("representatives:export"),
        )  # fmt: skip
    return "failed"


def requeue_exports(*, now: datetime | None = None) -> int:
    """Beat, every minute: builds whose worker died are waiting again (or failed, after
    the last attempt); exports waiting longer than the fast path allows are queued again.
    A task queued twice builds once (``build_export`` claims the row)."""
    now = now or timezone.now()
    stale = DataExport.objects.filter(status=S.BUILDING, started_at__lt=now - STALE_BUILD)
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=S.FAILED, error="The worker stopped while building it.", finished_at=now
    )
    stale.update(status=S.PENDING, progress=0)
    waiting = list(
        DataExport.objects.filter(status=S.PENDING, requested_at__lt=now - REQUEUE_AFTER)
        .order_by("requested_at")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    for export_id in waiting:
        queue_build(export_id)
    return len(waiting)


def expire_exports(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their download date, in batches; returns how many.

    The file goes first, then the row says so: if this stops in between, the row is still
    "ready" past its date (which no one can download) and the next run finishes it."""
    now = now or timezone.now()
    storage = DataExport._meta.get_field("file").storage
    expired = 0
    while True:
        batch = list(
            DataExport.objects.filter(status=S.READY, expires_at__lte=now)
            .order_by("expires_at", "pk")
            .values_list("pk", "file")[:EXPIRE_BATCH]
        )
        if not batch:
            return expired
        for _pk, name in batch:
            if name:
                storage.delete(name)
        expired += DataExport.objects.filter(
            pk__in=[pk for pk, _name in batch], status=S.READY
        ).update(status=S.EXPIRED, file="")
