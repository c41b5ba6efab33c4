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
