"""What is happening in people's lives: life events, journeys, the to-do list and goals.

A ``LifeEvent`` ("having a baby") is content staff edit in the admin: a few questions, the
benefits to check, tasks with due dates relative to the event, partner services. A
``Journey`` is one person going through one. ``Task`` is the one to-do list, across
journeys, goals and caseworkers; requests for information on claims join it when listed.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LifeEvent(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    summary = models.TextField(_("summary"))
    date_question = models.CharField(
        _("the question for its date"), max_length=200,
        help_text=_("For example: When is your baby due, or when were they born?"),
    )  # fmt: skip
    questions = models.JSONField(
        _("questions"), default=list, blank=True,
        help_text=_('A list of {"slug", "text", "kind": "yes_no"|"money"|"count", "fact"}.'),
    )  # fmt: skip
    benefits_to_check = models.JSONField(_("benefits to check"), default=list, blank=True)
    tasks = models.JSONField(
        _("tasks"), default=list, blank=True,
        help_text=_('A list of {"title", "help", "due_days" (from the date of the event), "link"}.'),
    )  # fmt: skip
    partner_services = models.JSONField(
        _("partner services"), default=list, blank=True,
        help_text=_('A list of {"organisation", "helps_with", "contact"}.'),
    )  # fmt: skip
    updates_facts = models.JSONField(_("facts it updates"), default=list, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    active = models.BooleanField(_("offered to people"), default=True)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class JourneyStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    PAUSED = "paused", _("Paused")
    FINISHED = "finished", _("Finished")


class Journey(models.Model):
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="journeys",
        verbose_name=_("customer"),
    )  # fmt: skip
    life_event = models.ForeignKey(
        LifeEvent, on_delete=models.PROTECT, related_name="journeys", verbose_name=_("life event")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JourneyStatus, default=JourneyStatus.ACTIVE
    )
    event_date = models.DateField(_("date of the event"))
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "life_event"],
                condition=~Q(status="finished"),
                name="journeys_one_open_per_event",
            )
        ]
        indexes = [
            models.Index(
                fields=["updated_at"], condition=Q(status="finished"), name="journeys_finished_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.life_event}"


class Task(models.Model):
    """One thing on a person's to-do list."""

    class Source(models.TextChoices):
        JOURNEY = "journey", _("Your plan")
        GOAL = "goal", _("Your goal")
        CASEWORKER = "caseworker", _("Your caseworker")

    customer = models.ForeignKey(
        "accounts.Customer",
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("customer"),
    )
    source = models.CharField(_("from"), max_length=12, choices=Source)
    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    goal_step = models.OneToOneField(
        "GoalStep", on_delete=models.CASCADE, null=True, blank=True, related_name="task"
    )
    key = models.CharField(
        _("key"), max_length=60, blank=True, help_text=_("Which task of the plan.")
    )
    title = models.CharField(_("title"), max_length=200)
    help = models.TextField(_("help"), blank=True, max_length=2000)
    link = models.CharField(_("link"), max_length=300, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["journey", "key"], condition=~Q(key=""), name="journeys_task_once_per_plan"
            )
        ]
        indexes = [
            models.Index(
                fields=["customer", "due_on"],
                condition=Q(done_at__isnull=True),
                name="journeys_task_open_idx",
            ),
            models.Index(
                fields=["due_on"], condition=Q(done_at__isnull=True), name="journeys_task_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    customer = models.ForeignKey(
        "accounts.Customer",
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("customer"),
    )
    title = models.CharField(_("goal"), max_length=200)
    target_date = models.DateField(_("by"), null=True, blank=True)
    achieved_at = models.DateTimeField(_("achieved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("step"), max_length=200)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class ChangeReport(models.Model):
    """A change of circumstances the person confirmed: "tell us once". The token makes
    confirming the same change twice record it once."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="change_reports",
        verbose_name=_("customer"),
    )  # fmt: skip
    token = models.CharField(_("token"), max_length=40, unique=True)
    kind = models.CharField(_("what changed"), max_length=30)
    happened_on = models.DateField(_("when it happened"))
    details = models.JSONField(_("details"), default=dict)
    effects = models.JSONField(_("effect on claims and estimates"), default=list)
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of circumstances")
        verbose_name_plural = _("changes of circumstances")
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.happened_on}"


class Activity(models.Model):
    """Who changed what in a person's journeys, to-do list, goals and changes of
    circumstances: one row per change, written by the service that made it. Append-only."""

    class Kind(models.TextChoices):
        JOURNEY_STARTED = "journey_started", _("Plan started")
        JOURNEY_STATUS = "journey_status", _("Plan status changed")
        TASK_DONE = "task_done", _("Task marked as done")
        TASK_NOT_DONE = "task_not_done", _("Task marked as not done")
        GOAL_SET = "goal_set", _("Goal set")
        CHANGE_REPORTED = "change_reported", _("Change of circumstances reported")

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="journey_activity",
        verbose_name=_("customer"),
    )  # fmt: skip
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"), help_text=_("Empty for the system."),
    )  # fmt: skip
    journey = models.ForeignKey(
        Journey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change_report = models.ForeignKey(
        ChangeReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("journey activity")
        verbose_name_plural = _("journey activity")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["customer", "at"], name="journeys_activity_idx"),
            models.Index(fields=["at"], name="journeys_activity_at_idx"),  # retention
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.kind}"
