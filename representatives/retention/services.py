"""Applying the retention schedule (``accounts.retention``): find what is due, remove it.

Set-based: for each entry, one indexed query selects the ids of a batch of due rows
(``--batch-size``, 5,000 by default), and the batch is deleted or anonymised in one
transaction — an ``UPDATE … WHERE id IN (…)`` for anonymising, and for deleting Django's
collector, which runs one ``DELETE`` (or ``UPDATE … SET NULL``) per related table for the
whole batch. No loop over customers: the number of queries grows with batches, not rows.

Idempotent: what was deleted is gone, and what was anonymised no longer matches its entry
(``Rule.already_done``), so a second run finds nothing. A run killed half way leaves whole
batches done; the next run carries on.

Files: the files of every row deleted (the row the entry names, and rows deleted with it,
like a conversation's attachments) and of every anonymised file field are removed from
disk once the batch's transaction has committed — never before, so a rolled-back batch
keeps its files.

Every run is recorded (``RetentionRun``): counts per entry, dry run or applied, who.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.apps import apps
from django.core.files.storage import Storage
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector
from django.db.models.signals import post_delete
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_model_for_model

from accounts.models import User
from accounts.retention import ANONYMISE, Rule, schedule
from representatives.models import RetentionRun

logger = logging.getLogger("portal.retention")

DEFAULT_BATCH_SIZE = 5000

#: (key, done, total) after each batch, for a progress bar.
Progress = Callable[[str, int, int], None]


def due(rule: Rule, *, now: datetime) -> QuerySet:
    """The rows of ``rule``'s record type past their period at ``now``."""
    model = rule.model_class
    queryset = model._base_manager.filter(rule.condition).filter(
        **{f"{rule.clock}__lt": rule.keep.before(now)}
    )
    if rule.action == ANONYMISE:
        queryset = queryset.exclude(rule.already_done)
    return queryset


def count_due(*, now: datetime | None = None) -> dict[str, int]:
    """Rows due per entry, one ``COUNT`` each; nothing changes."""
    now = now or timezone.now()
    return {rule.key: due(rule, now=now).count() for rule in schedule()}


def apply_retention(
    *,
    apply: bool,
    by: User | None,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> RetentionRun:
    """Count (``apply=False``) or remove (``apply=True``) what the schedule says is due.

    ``by`` is the operator, or None for the nightly run. Returns the finished run record.
    Each batch is its own transaction, so this is not called inside one.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    now = now or timezone.now()
    run = RetentionRun.objects.create(as_of=now, applied=apply, by=by, counts={})
    files_removed = 0
    for rule in schedule():
        total = due(rule, now=now).count()
        done = 0
        if apply and total:
            while True:
                ids = list(
                    due(rule, now=now).order_by("pk").values_list("pk", flat=True)[:batch_size]
                )
                if not ids:
                    break
                changed, files = _apply_batch(rule, ids)
                files_removed += _remove_files(files)
                done += changed
                if progress:
                    progress(rule.key, done, max(total, done))
                if changed == 0:  # nothing moved: stop rather than spin
                    logger.error("retention %s: a batch of %d changed nothing", rule.key, len(ids))
                    break
        elif progress:
            progress(rule.key, total, total)
        count = done if apply else total
        run.counts[rule.key] = count
        logger.info(
            "retention %s %s: %d %s (%s after %s)",
            "applied" if apply else "dry run",
            rule.key,
            count,
            rule.action,
            rule.keep,
            rule.clock,
        )
    run.finished_at = timezone.now()
    run.files_removed = files_removed
    run.save(update_fields=["counts", "finished_at", "files_removed"])
    logger.info(
        "retention %s finished: %d rows, %d files, in %.1f s",
        "applied" if apply else "dry run",
        run.total,
        files_removed,
        (run.finished_at - run.started_at).total_seconds(),
    )
    return run


FileRef = tuple[Storage, str]


@transaction.atomic(durable=True)
def _apply_batch(rule: Rule, ids: list[int]) -> tuple[int, list[FileRef]]:
    """One batch in one transaction: (rows of the entry's model changed, files to remove)."""
    model = rule.model_class
    # Lock the batch, and count only what is still due (another run may have taken it).
    locked = list(
        model._base_manager.filter(pk__in=ids)
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    files: list[FileRef] = []
    if rule.action == ANONYMISE:
        files = _file_names(model, model._base_manager.filter(pk__in=locked), rule.files)
        changes = dict(rule.anonymise)
        changes.update(dict.fromkeys(rule.files, ""))
        changed = model._base_manager.filter(pk__in=locked).update(**changes)
        _drop_history(model, locked)
        return changed, files
    for label, lookup in rule.first:
        dependent = apps.get_model(label)
        files += _delete(dependent, dependent._base_manager.filter(**{f"{lookup}__in": locked}))[1]
    changed, own_files = _delete(model, model._base_manager.filter(pk__in=locked))
    return changed, files + own_files


def _delete(model: type[models.Model], queryset: QuerySet) -> tuple[int, list[FileRef]]:
    """Delete the rows and whatever Django cascades from them, with their history rows."""
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=queryset)
    collector.collect(queryset)
    files: list[FileRef] = []
    deleted_ids: dict[type[models.Model], list[int]] = {}
    for related_model, instances in collector.data.items():
        pks = [instance.pk for instance in instances]
        deleted_ids[related_model] = pks
        for field in _file_fields(related_model):
            files.extend(
                (field.storage, name)
                for name in (getattr(instance, field.attname) for instance in instances)
                if name
            )
    for fast in collector.fast_deletes:
        # Rows Django deletes without loading them: read their file names first.
        fast_fields = _file_fields(fast.model)
        if fast_fields:
            files.extend(_file_names(fast.model, fast, [f.name for f in fast_fields]))
    with _no_deleted_copies(list(deleted_ids)):
        _total, per_model = collector.delete()
    for related_model, pks in deleted_ids.items():
        # simple_history writes a "deleted" copy of each row: the copy must go too.
        _drop_history(related_model, pks)
    return per_model.get(model._meta.label, 0), files


def delete_now(queryset: QuerySet) -> int:
    """Delete ``queryset``'s rows now, in the caller's transaction, the way the schedule
    deletes: with what protects them (their entry's ``first``, found by model), what
    cascades from them, their history rows, and — once the caller commits — their files."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    first = next(
        (rule.first for rule in schedule() if rule.model_class is model and rule.first), ()
    )
    files: list[FileRef] = []
    for label, lookup in first:
        dependent = apps.get_model(label)
        files += _delete(dependent, dependent._base_manager.filter(**{f"{lookup}__in": ids}))[1]
    deleted, own = _delete(model, model._base_manager.filter(pk__in=ids))
    files += own
    transaction.on_commit(lambda: _remove_files(files))
    return deleted


@contextmanager
def _no_deleted_copies(deleted: list[type[models.Model]]) -> Iterator[None]:
    """Without simple_history's ``post_delete`` receivers for these models: each would
    INSERT a copy of every deleted row, one query per row, only for the copy to be deleted
    again (``_drop_history``). Other receivers (an appointment giving its place back)
    still run. Receivers are process-wide, so this is for the retention path only, which
    runs in a command or a prefork worker, one task per process."""
    muted: list[tuple[Callable[..., object], type[models.Model]]] = []
    for model in deleted:
        sender = id(model)  # how Django's dispatcher keys a sender that is a class
        for key, ref, *_rest in list(post_delete.receivers):
            receiver = ref() if isinstance(ref, weakref.ReferenceType) else ref
            owner = getattr(receiver, "__self__", None)
            if key[1] == sender and callable(receiver) and isinstance(owner, HistoricalRecords):
                post_delete.disconnect(receiver, sender=model)
                muted.append((receiver, model))
    try:
        yield
    finally:
        for receiver, model in muted:
            post_delete.connect(receiver, sender=model, weak=False)


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def _file_names(
    model: type[models.Model], queryset: QuerySet, names: tuple[str, ...] | list[str]
) -> list[FileRef]:
    files: list[FileRef] = []
    for name in names:
        storage = model._meta.get_field(name).storage  # type: ignore[union-attr]
        files.extend((storage, value) for value in queryset.values_list(name, flat=True) if value)
    return files


def _drop_history(model: type[models.Model], ids: list[int]) -> None:
    try:
        history = get_history_model_for_model(model)
    except NotHistoricalModelError:
        return
    history._default_manager.filter(**{model._meta.pk.attname + "__in": ids}).delete()


def _remove_files(files: list[FileRef]) -> int:
    """Remove committed rows' files; a file already gone is fine (a re-run, or by hand)."""
    removed = 0
    for storage, name in files:
        try:
            if storage.exists(name):
                storage.delete(name)
                removed += 1
        except OSError:
            # The row is gone; the file is logged for an operator (never its owner's name).
            logger.exception("retention: could not remove a file %s", name)
    return removed
