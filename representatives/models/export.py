""" "Download my data": one row per export the person asked for, from asking to expiry."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from benefits.models import evidence_storage

__all__ = ["DataExport"]


class DataExport(models.Model):
    """A ZIP of everything the agency holds about the person, built by a worker.

    The worker records its progress on the row (the page polls it), keeps the file in the
    private evidence storage under a random name, and the person may download it until
    ``expires_at`` (seven days), after giving their password again. A periodic job deletes
    expired files. One export at a time is being made for a person: a database constraint
    refuses a second while one is waiting or being built, so a double submit makes one job.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        BUILDING = "building", _("Being made")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Could not be made")
        EXPIRED = "expired", _("Expired")

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="data_exports",
        verbose_name=_("person"),
    )  # fmt: skip
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("asked for by"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    #: 0–100, written by the worker as each section is done.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("download until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(
        _("file"), storage=evidence_storage, upload_to="exports/%Y/%m/", max_length=200,
        blank=True,
    )  # fmt: skip
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    #: Why the last attempt failed, for staff; the person is told only that it failed.
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-requested_at"], name="rep_export_customer_idx"),
            # The cleanup job: ready exports by expiry.
            models.Index(
                fields=["expires_at"], condition=Q(status="ready"), name="rep_export_expiry_idx"
            ),
            # The requeue job: exports waiting or being made.
            models.Index(
                fields=["requested_at"],
                condition=Q(status__in=["pending", "building"]),
                name="rep_export_open_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(status__in=["pending", "building"]),
                name="rep_export_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="rep_export_progress_percent"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | Q(expires_at__isnull=False) & ~Q(file=""),
                name="rep_export_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} for {self.customer_id} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.BUILDING)

    def is_downloadable(self, *, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and now < self.expires_at
            and bool(self.file)
        )

    # What ``benefits.evidence.serving.serve_document`` needs of a kept file.
    content_type = "application/zip"

    @property
    def original_name(self) -> str:
        made = timezone.localtime(self.finished_at or self.requested_at)
        return f"your-data-{made:%Y-%m-%d}.zip"
