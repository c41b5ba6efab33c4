"""Operational records: proof that the Celery worker and beat are alive."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """One row per beat-driven source; the worker updates ``seen_at`` every 20 seconds.

    /readyz reads it: a recent heartbeat proves beat scheduled a task, Redis carried it
    and a worker ran it against PostgreSQL.
    """

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"))
    hostname = models.CharField(_("worker"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class WorkerProbe(models.Model):
    """An operator's on-demand round trip through the broker and a worker."""

    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    hostname = models.CharField(_("worker"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("worker probe")
        verbose_name_plural = _("worker probes")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_at"], name="portal_probe_requested_idx")]

    def __str__(self) -> str:
        return f"probe {self.pk}"

    @property
    def round_trip(self):  # -> timedelta | None
        if self.completed_at is None:
            return None
        return self.completed_at - self.requested_at
