"""Telling people: the in-app inbox.

A ``Notification`` is written in the same transaction as whatever it announces (a claim's
status change, a request for information), so the person is never told about something
that did not happen, and nothing that happened goes untold. The Notifications issue adds
the outbox (email, SMS, letters) on top of the same rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    STATUS = "status", _("Status updates")
    REMINDER = "reminder", _("Reminders")
    MESSAGE = "message", _("Messages")
    NUDGE = "nudge", _("Suggestions")


class Notification(models.Model):
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("customer"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=4000, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="notif_customer_idx"),
            models.Index(
                fields=["customer"],
                condition=models.Q(read_at__isnull=True),
                name="notif_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title
