"""Correction requests: the person says a fact we hold about them is wrong.

A caseworker decides each one in the admin: corrected (the corrected fact recorded through
accounts' services, a new assertion beside the old one) or not changed, with a reason the
person reads on "Your correction requests".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["CorrectionRequest"]


class CorrectionRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for us")
        CORRECTED = "corrected", _("Corrected")
        NOT_CHANGED = "not_changed", _("Not changed")

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="correction_requests",
        verbose_name=_("person"),
    )  # fmt: skip
    #: What is wrong, as ``representatives.corrections.SUBJECTS`` names it ("address",
    #: "household_member", "fact").
    subject = models.CharField(_("what it is about"), max_length=40)
    #: The household member or the fact, for subjects about one row.
    object_id = models.BigIntegerField(_("which"), null=True, blank=True)
    #: What the page showed when the person asked, as they read it.
    shown_value = models.CharField(_("what we showed"), max_length=1000, blank=True)
    what_is_wrong = models.TextField(_("what is wrong"), max_length=2000)
    should_be = models.TextField(_("what it should be"), max_length=2000)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("asked by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )  # fmt: skip
    #: What the person reads about the outcome.
    reason = models.TextField(_("outcome, for the person"), max_length=2000, blank=True)
    corrected_value = models.CharField(_("corrected value"), max_length=1000, blank=True)
    #: The new assertion that corrected a fact (the old one stays, superseded).
    corrected_fact = models.ForeignKey(
        "accounts.Fact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("new fact"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="rep_correction_customer_idx"),
            # The caseworkers' queue: open requests, oldest first.
            models.Index(
                fields=["created_at"], condition=Q(status="open"), name="rep_correction_open_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False) & ~Q(reason="")),
                name="rep_correction_decided_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()}) {self.customer_id}"
