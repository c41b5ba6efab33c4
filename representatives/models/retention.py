"""One run of the retention schedule: what it found due, and whether it removed it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["RetentionRun"]


class RetentionRun(models.Model):
    """A run of ``apply_retention`` (by an operator, or nightly by beat): counts per record
    type (the schedule's keys), a dry run or applied. Written when the run starts, finished
    when it ends: a run with no ``finished_at`` stopped half way (a batch is one
    transaction, so what it did is whole batches)."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: The moment the periods were counted back from (normally the start).
    as_of = models.DateTimeField(_("periods counted back from"))
    applied = models.BooleanField(_("applied"), help_text=_("False for a dry run."))
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"), help_text=_("Empty for the nightly run."),
    )  # fmt: skip
    #: Schedule key → rows found due (dry run) or deleted/anonymised (applied).
    counts = models.JSONField(_("counts per record type"), default=dict)
    #: Files removed from disk (applied runs).
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        kind = "applied" if self.applied else "dry run"
        return f"{self.started_at:%Y-%m-%d %H:%M} {kind}"

    @property
    def total(self) -> int:
        return sum(self.counts.values())
