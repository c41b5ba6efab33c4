"""Who may act for a person, with which scopes, until when, and what they did."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.acting import Scope

__all__ = ["Organisation", "Representation", "RepresentativeAction", "Scope"]


class Organisation(models.Model):
    """A welfare-rights service, a charity or a council team whose advisers act for people.

    A caseworker records one after checking who they are; its advisers then act for the
    people who chose the organisation, each adviser under their own sign-in.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    advisers = models.ManyToManyField(
        "accounts.User", blank=True, related_name="organisations", verbose_name=_("advisers"),
        help_text=_("People who act for this organisation's clients, each with their own sign-in."),
    )  # fmt: skip
    checked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)
    evidence = models.TextField(
        _("evidence checked"), max_length=2000,
        help_text=_("What was checked: registration number, letter of authority, who confirmed it."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Representation(models.Model):
    """One person (or organisation) allowed to act for a customer, as the customer chose.

    Made by the customer's invitation (a friend or family member, who accepts through their
    own account) or by a caseworker after checking evidence (an appointee, an organisation).
    Scopes, end date and claims can change; every change is kept in the consent records.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Someone I trust")
        APPOINTEE = "appointee", _("Appointee")
        ORGANISATION = "organisation", _("Organisation")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Invitation withdrawn")
        DECLINED = "declined", _("Invitation declined")
        REVOKED = "revoked", _("Stopped")

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="representations",
        verbose_name=_("person helped"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.PERSON)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.INVITED)
    representative = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True,
        related_name="representing", verbose_name=_("representative"),
        help_text=_("Empty until the invitation is accepted, and for an organisation."),
    )  # fmt: skip
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="representations", verbose_name=_("organisation"),
    )  # fmt: skip
    #: The name the person gave ("Sam Shah"); the representative's own once they accept.
    name = models.CharField(_("name"), max_length=200)
    invited_email = models.EmailField(_("invited email"), blank=True)
    #: SHA-256 of the invitation's secret: the secret itself is only in the email.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    invitation_expires_at = models.DateTimeField(_("invitation expires"), null=True, blank=True)
    scopes = ArrayField(
        models.CharField(max_length=8, choices=Scope), verbose_name=_("scopes"), default=list
    )
    #: Empty for every claim; otherwise only these.
    claims = models.ManyToManyField(
        "benefits.Claim", blank=True, related_name="+", verbose_name=_("only these claims")
    )
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("The last day it applies; empty for no end."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    ended_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    ended_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("stopped by"),
    )  # fmt: skip
    #: For an appointee or organisation: what the caseworker checked.
    evidence = models.TextField(_("evidence checked"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "status"], name="rep_customer_status_idx"),
            models.Index(
                fields=["representative"], condition=Q(status="active"), name="rep_active_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="rep_token_unique"
            ),
            models.CheckConstraint(
                condition=~Q(kind="organisation") | Q(organisation__isnull=False),
                name="rep_organisation_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.customer_id}"

    @property
    def scope_labels(self) -> list:
        return [Scope(s).label for s in self.scopes if s in Scope.values]


class RepresentativeAction(models.Model):
    """What a representative saw or did while acting for the person. Append-only.

    Listed for the person on "What your representatives did", and read by the timelines.
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("Looked at")
        ACTION = "action", _("Did")

    representation = models.ForeignKey(
        Representation, on_delete=models.CASCADE, related_name="actions",
        verbose_name=_("representative"),
    )  # fmt: skip
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    by_name = models.CharField(_("by (name)"), max_length=200)
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=6, choices=Kind)
    what = models.CharField(_("what"), max_length=200)
    #: The route's name, for grouping ("claims:detail"); never the path, which holds ids.
    route = models.CharField(_("page"), max_length=100)

    class Meta:
        verbose_name = _("representative's action")
        verbose_name_plural = _("representatives' actions")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-at"], name="rep_action_customer_idx"),
            models.Index(fields=["at"], name="rep_action_at_idx"),  # the retention schedule
        ]

    def __str__(self) -> str:
        return f"{self.by_name}: {self.what}"
