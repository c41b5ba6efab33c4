"""What people can get: the benefit catalogue and the effective-dated rates the rules read.

Claims, evidence, decisions and payments arrive with the Claims issue.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import DateRange


class Benefit(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.TextField(_("summary"))
    who_it_is_for = models.TextField(_("who it is for"))
    evidence_needed = models.JSONField(
        _("evidence it needs"), default=list, blank=True,
        help_text=_("A list of short descriptions, one per kind of evidence."),
    )  # fmt: skip
    service_level_days = models.PositiveSmallIntegerField(
        _("days to a decision"), help_text=_("The service level: working days to decide a claim.")
    )
    open_for_online_claims = models.BooleanField(_("open for online claims"), default=False)
    other_route = models.CharField(
        _("how to claim otherwise"), max_length=300, blank=True,
        help_text=_("For benefits not claimed online here: where or how to claim."),
    )  # fmt: skip
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class Parameter(models.Model):
    """One rate, threshold or limit with the dates it is in force and where it is published.

    ``name`` is what the rules ask for (``uc.standard_allowance.single_25_plus``). A new
    value is a new row with its own start date; rows are never overwritten, and PostgreSQL
    refuses two rows of one name whose periods overlap.
    """

    name = models.CharField(_("name"), max_length=100)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    unit = models.CharField(
        _("unit"), max_length=20,
        help_text=_("week, month, year, once, ratio, count, flag or GBP"),
    )  # fmt: skip
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until (exclusive)"), null=True, blank=True)
    source = models.CharField(_("published source"), max_length=500)
    note = models.CharField(_("note"), max_length=500, blank=True)
    description = models.CharField(_("what it is"), max_length=300)

    class Meta:
        verbose_name = _("rate or threshold")
        verbose_name_plural = _("rates and thresholds")
        ordering = ["name", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="benefits_parameter_period_positive",
            ),
            ExclusionConstraint(
                name="benefits_parameter_no_overlap",
                expressions=[
                    (F("name"), RangeOperators.EQUAL),
                    (
                        DateRange("effective_from", "effective_to", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["effective_from", "effective_to"], name="ben_param_dates_idx")
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value} from {self.effective_from}"


# --- Claims -----------------------------------------------------------------------------


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Application sent")
    IN_REVIEW = "in_review", _("Being looked at")
    INFORMATION_REQUESTED = "information_requested", _("We need more information")
    AWARDED = "awarded", _("Awarded")
    REFUSED = "refused", _("Refused")
    RECONSIDERATION_REQUESTED = "reconsideration_requested", _("Reconsideration asked for")
    RECONSIDERED = "reconsidered", _("Reconsidered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class Claim(models.Model):
    """A person's application for one benefit, from draft to decision and beyond.

    Status changes only through ``benefits.lifecycle.transition``, which records a
    ``ClaimEvent`` in the same transaction. ``version`` guards the draft's answers against
    two tabs overwriting each other.
    """

    customer = models.ForeignKey(
        "accounts.Customer",
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("customer"),
    )
    benefit = models.ForeignKey(
        Benefit, on_delete=models.PROTECT, related_name="claims", verbose_name=_("benefit")
    )
    reference = models.CharField(
        _("claim reference"), max_length=14, null=True, blank=True, unique=True
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ClaimStatus, default=ClaimStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            # One draft per person and benefit: "apply" resumes it rather than starting again.
            models.UniqueConstraint(
                fields=["customer", "benefit"],
                condition=Q(status="draft"),
                name="benefits_claim_one_draft_per_benefit",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(reference__isnull=False, submitted_at__isnull=False),
                name="benefits_claim_sent_has_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="ben_claim_customer_idx"),
            models.Index(fields=["status", "submitted_at"], name="ben_claim_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or _('draft')}: {self.benefit}"


class ClaimEvent(models.Model):
    """The claim's timeline: who did what, when and why. Append-only."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="events", verbose_name=_("claim")
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"), help_text=_("Empty for the system."),
    )  # fmt: skip
    from_status = models.CharField(_("from"), max_length=30, choices=ClaimStatus, blank=True)
    to_status = models.CharField(_("to"), max_length=30, choices=ClaimStatus)
    reason = models.TextField(_("reason"), blank=True, max_length=4000)
    visible_to_customer = models.BooleanField(_("the customer sees it"), default=True)

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["claim", "at"], name="ben_claimevent_claim_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status or '—'} → {self.to_status}"
