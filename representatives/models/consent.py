"""Consent records: what the person agreed to (or was told about), append-only.

Each row is one event: a consent granted, or withdrawn. A withdrawal is a new row, never an
edit of the grant, so what the person agreed to, in which words, and when, stays readable
for as long as the record is kept. The purposes, their wording and legal basis live in code
(``representatives.consents.PURPOSES``); a row keeps the wording's version and the text as
it was shown.

The ORM refuses to change or delete a row (``save`` of an existing row, ``delete``,
``QuerySet.update`` and ``QuerySet.delete`` raise ``AppendOnly``), and a trigger in the
database refuses any UPDATE but one: the recording user's account being deleted
(``recorded_by`` set to null; ``recorded_as`` still says who it was). Rows leave only with
their person, when the retention schedule removes the Customer.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["AppendOnly", "ConsentRecord", "LegalBasis"]


class AppendOnly(Exception):
    """Consent records are never changed or deleted: record a new one instead."""


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Your consent")
    PUBLIC_TASK = "public_task", _("Our public task")
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation")


class ConsentQuerySet(models.QuerySet["ConsentRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Consent records are never updated: record a new one.")

    def delete(self) -> NoReturn:
        raise AppendOnly("Consent records are never deleted: record a withdrawal.")


class ConsentRecord(models.Model):
    """One grant or withdrawal of a purpose, for a customer, maybe about one party."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("Agreed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RecordedAs(models.TextChoices):
        PERSON = "person", _("You")
        REPRESENTATIVE = "representative", _("Your representative")
        STAFF = "staff", _("Our staff")
        SYSTEM = "system", _("The service")

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="consent_records",
        verbose_name=_("person"),
    )  # fmt: skip
    purpose = models.CharField(_("purpose"), max_length=60)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis)
    wording_version = models.PositiveSmallIntegerField(_("wording version"))
    #: The words as the person was shown them, in their language at the time.
    wording = models.TextField(_("wording shown"))
    #: Whom the sharing is with, when the purpose names someone: ("representation", 12),
    #: later ("partner", 4). Empty for a purpose about no one in particular.
    party_kind = models.CharField(_("party kind"), max_length=30, blank=True)
    party_id = models.BigIntegerField(_("party"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_as = models.CharField(_("recorded by (role)"), max_length=16, choices=RecordedAs)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-at", "-pk"]
        indexes = [
            # has_consent: the latest record of one purpose (and party) for one person.
            models.Index(
                F("customer"),
                F("purpose"),
                F("party_kind"),
                F("party_id"),
                F("at").desc(),
                name="rep_consent_latest_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_kind="", party_id__isnull=True)
                | (~Q(party_kind="") & Q(party_id__isnull=False)),
                name="rep_consent_party_whole",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=F("at")),
                name="rep_consent_expires_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.action} {self.customer_id} {self.at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Consent records are never updated: record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Consent records are never deleted: record a withdrawal.")
