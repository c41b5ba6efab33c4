"""What people can get and what they asked for.

The benefit catalogue and the effective-dated rates the rules read; claims with their
timeline, evidence, requests for information, decisions, versioned award statements and
payments.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    straight_through = models.BooleanField(
        _("decide automatically when the rules are clear"), default=False,
        help_text=_(
            "When a claim's evidence is complete and the rules say it is eligible with an amount, "
            "award it without waiting for a caseworker. Refusals always need a caseworker."
        ),
    )  # fmt: skip

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


# A claim in these states is in progress: a person has at most one per benefit (a database
# constraint), so "apply" continues it and a second application cannot be sent. Decided,
# withdrawn and closed claims do not count: the person can apply again.
IN_PROGRESS = [
    "draft",
    "submitted",
    "in_review",
    "information_requested",
    "reconsideration_requested",
]
ONE_IN_PROGRESS = "benefits_claim_one_in_progress_per_benefit"


class Claim(models.Model):
    """A person's application for one benefit, from draft to decision and beyond.

    Status changes only through ``benefits.claims.lifecycle.transition``, which records a
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
    assigned_to = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_claims", verbose_name=_("caseworker"),
        db_index=False,  # ben_claim_assigned_idx leads with it
    )  # fmt: skip
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    due_by = models.DateField(
        _("decide by"), null=True, blank=True,
        help_text=_("The service level: the date a decision is due."),
    )  # fmt: skip
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=0,
        help_text=_("2: the person needs extra support; 1: accessibility needs; 0: none."),
    )  # fmt: skip
    change_to_review_from = models.DateField(
        _("a reported change to review, from"), null=True, blank=True,
        help_text=_("The person reported a change that may alter this claim, from this date."),
    )  # fmt: skip
    answers_sha256 = models.CharField(
        _("checksum of the answers sent"), max_length=64, blank=True,
        help_text=_("The receipt: SHA-256 of the answers as they were sent."),
    )  # fmt: skip
    # Set in the transaction of whatever may let the system decide the claim (it was sent,
    # evidence arrived or was accepted), cleared by the straight-through check that looks at
    # it: a check that could not be queued, or was lost, is found and queued again by beat.
    straight_through_due_at = models.DateTimeField(
        _("straight-through check due since"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        constraints = [
            # One claim in progress per person and benefit, draft or sent: "apply" continues
            # it rather than starting again, and a second application is never sent.
            models.UniqueConstraint(
                fields=["customer", "benefit"],
                condition=Q(status__in=IN_PROGRESS),
                name=ONE_IN_PROGRESS,
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
            # "Take the next claim": unassigned open claims, highest priority, earliest due.
            models.Index(
                F("priority").desc(),
                "due_by",
                "submitted_at",
                condition=Q(
                    assigned_to__isnull=True,
                    status__in=["submitted", "in_review", "reconsideration_requested"],
                ),
                name="ben_claim_next_idx",
            ),
            models.Index(fields=["assigned_to", "status", "due_by"], name="ben_claim_assigned_idx"),
            # Overdue work: decided claims have past due dates too, so only open ones count.
            models.Index(
                fields=["due_by"],
                condition=Q(
                    status__in=[
                        "submitted",
                        "in_review",
                        "information_requested",
                        "reconsideration_requested",
                    ]
                ),
                name="ben_claim_overdue_idx",
            ),
            models.Index(fields=["benefit", "status", "due_by"], name="ben_claim_benefit_idx"),
            # The re-queue job's question: which checks are due? Only claims waiting for one.
            models.Index(
                fields=["straight_through_due_at"],
                condition=Q(straight_through_due_at__isnull=False),
                name="ben_claim_check_due_idx",
            ),
            # The retention schedule (benefits/retention.py): drafts and ended claims by
            # when they last changed; evidence by the claim's last decision.
            models.Index(fields=["status", "updated_at"], name="ben_claim_retention_idx"),
            models.Index(
                fields=["decided_at"],
                condition=Q(decided_at__isnull=False),
                name="ben_claim_decided_idx",
            ),
        ]
        permissions = [
            ("reassign_claims", _("Can reassign claims between caseworkers")),
            ("decide_claims", _("Can decide claims")),
        ]

    history = HistoricalRecords(
        excluded_fields=["updated_at", "answers", "version", "straight_through_due_at"]
    )

    def __str__(self) -> str:
        return f"{self.reference or _('draft')}: {self.benefit}"


class EventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    DOCUMENT = "document", _("Document")
    INFORMATION = "information", _("Information")
    STATEMENT = "statement", _("Award statement")
    PAYMENT = "payment", _("Payment")
    NOTE = "note", _("Internal note")


class ClaimEvent(models.Model):
    """The claim's timeline: who did what, when and why. Append-only.

    Status changes have ``kind`` "status" and differ in from/to; other events (a document
    received, an answer sent, a new award statement) keep the status they happened in.
    """

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
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind, default=EventKind.STATUS)
    reason = models.TextField(_("reason"), blank=True, max_length=4000)
    visible_to_customer = models.BooleanField(_("the customer sees it"), default=True)

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["claim", "at"], name="ben_claimevent_claim_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status or '—'} → {self.to_status}"


class CaseNote(models.Model):
    """A caseworker's internal note on a claim: for staff only.

    Kept out of the claim's timeline and off the award statement, and with no reverse
    accessor on ``Claim`` (``related_name="+"``), so that no page, letter or message made
    for the person can reach it from the claim they are shown. Staff read notes through
    ``benefits.claims.selectors.case_notes``. Append-only.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="+", verbose_name=_("claim")
    )
    statement = models.ForeignKey(
        "AwardStatement", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("about award statement"),
    )  # fmt: skip
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    text = models.TextField(_("note"), max_length=4000)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["claim", "at"], name="ben_casenote_claim_idx")]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.text[:40]}"


# --- Evidence, requests, decisions, payments ---------------------------------------------


def evidence_storage():
    return storages["evidence"]


class InformationRequest(models.Model):
    """A caseworker asks the person for something; the person answers on the claim page."""

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="information_requests",
        verbose_name=_("claim"),
    )  # fmt: skip
    what_is_needed = models.TextField(_("what we need"), max_length=2000)
    due_on = models.DateField(_("reply by"))
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("asked by"),
    )  # fmt: skip
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(answered_at__isnull=True),
                name="ben_inforeq_open_due_idx",
            )
        ]

    def __str__(self) -> str:
        return self.what_is_needed[:60]


class DocumentState(models.TextChoices):
    RECEIVED = "received", _("Received")
    SEEN = "seen", _("Seen by a caseworker")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class Document(models.Model):
    """An uploaded piece of evidence, and its receipt: what, when, checksum and state.

    The file lives in the private "evidence" storage under a random name; the person's
    own file name is kept only for display.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="documents", verbose_name=_("claim")
    )
    information_request = models.ForeignKey(
        InformationRequest, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="documents", verbose_name=_("in reply to"),
    )  # fmt: skip
    evidence_kind = models.CharField(_("what it shows"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), storage=evidence_storage, upload_to="%Y/%m/", max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(
        _("SHA-256 checksum"), max_length=64, help_text=_("Of the file as the person sent it.")
    )
    stored_sha256 = models.CharField(
        _("SHA-256 of the stored file"), max_length=64, blank=True,
        help_text=_("Differs from the checksum when location and camera data were removed."),
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=10, choices=DocumentState, default=DocumentState.RECEIVED
    )
    state_reason = models.CharField(_("reason"), max_length=500, blank=True)
    automated_check = models.CharField(
        _("accepted by the automated check"), max_length=200, blank=True,
        help_text=_("Empty when a caseworker accepted it (or nobody has yet)."),
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("received"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("uploaded by"),
    )  # fmt: skip
    seen_at = models.DateTimeField(_("first seen by a caseworker"), null=True, blank=True)
    decided_at = models.DateTimeField(_("accepted or rejected"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["claim", "uploaded_at"], name="ben_document_claim_idx")]

    def __str__(self) -> str:
        return self.original_name


class DecisionOutcome(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    REFUSED = "refused", _("Refused")
    REVISED = "revised", _("Decision changed")
    UNCHANGED = "unchanged", _("Decision not changed")


class Decision(models.Model):
    """A decision on a claim, with its reasons: the decision letter is made from it."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("claim")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionOutcome)
    reasons = models.TextField(_("reasons"), max_length=4000)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"), help_text=_("Empty when the system decided."),
    )  # fmt: skip
    challenge_by = models.DateField(_("ask for a reconsideration by"))
    statement = models.ForeignKey(
        "AwardStatement", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("award statement"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.get_outcome_display()}"


class AwardStatement(models.Model):
    """The itemised calculation of an award. Versioned and never overwritten: a change to
    the award is a new statement with its reason, and the earlier ones stay readable."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="statements", verbose_name=_("claim")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    effective_from = models.DateField(_("from"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    period = models.CharField(_("paid per"), max_length=10)
    elements = models.JSONField(_("elements"), default=list)
    reason = models.TextField(_("why this statement was issued"), max_length=2000)
    adjustment_reason = models.TextField(
        _("why the amount differs from the rules' amount"), max_length=2000, blank=True,
        help_text=_("For the person: printed on the statement and in the letter."),
    )  # fmt: skip
    issued_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("issued by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("award statement")
        verbose_name_plural = _("award statements")
        ordering = ["claim", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "version"], name="benefits_statement_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} v{self.version}"


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Due")
    PAID = "paid", _("Paid")
    HELD = "held", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentKind(models.TextChoices):
    REGULAR = "regular", _("Regular payment")
    ARREARS = "arrears", _("Arrears")


class Payment(models.Model):
    """One payment for the period from ``period_start`` to ``period_end`` (both included).

    A claim's regular payments tile its award: PostgreSQL refuses two live (not cancelled)
    regular payments whose periods overlap. Arrears top up periods already paid when a
    later statement raised the award for them, so they cover paid days by design.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="payments", verbose_name=_("claim")
    )
    statement = models.ForeignKey(
        AwardStatement, on_delete=models.PROTECT, related_name="payments",
        verbose_name=_("award statement"),
    )  # fmt: skip
    kind = models.CharField(
        _("kind"), max_length=10, choices=PaymentKind, default=PaymentKind.REGULAR
    )
    due_on = models.DateField(_("payment date"))
    period_start = models.DateField(_("for the period from"))
    period_end = models.DateField(_("to"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus, default=PaymentStatus.SCHEDULED
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["claim", "due_on"], name="ben_payment_claim_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="benefits_payment_period_positive",
            ),
            ExclusionConstraint(
                name="benefits_payment_no_overlap",
                expressions=[
                    (F("claim"), RangeOperators.EQUAL),
                    (
                        DateRange(
                            "period_start",
                            "period_end",
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                condition=Q(kind="regular") & ~Q(status="cancelled"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.due_on} {self.amount}"
