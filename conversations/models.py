"""Secure messages between a person and the agency: conversations (general, or about a
claim), their messages and attachments, caseworkers' internal notes, topics with a service
level, and reply templates staff edit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from benefits.models import evidence_storage

#: The most a person may write in one message, and attach to it.
MAX_MESSAGE_LENGTH = 5000
MAX_ATTACHMENTS = 5


class Topic(models.Model):
    """What a conversation is about, as the person chooses it: it sets the service level
    (how many working days we take to answer) and the team it goes to first."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    hint = models.CharField(_("hint shown to people"), max_length=300, blank=True)
    service_level_days = models.PositiveSmallIntegerField(
        _("answered within (working days)"), default=2
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("team it goes to first"),
    )  # fmt: skip
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    active = models.BooleanField(_("offered to people"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name


class ConversationStatus(models.TextChoices):
    WAITING_FOR_US = "waiting_for_us", _("Waiting for us")
    WAITING_FOR_YOU = "waiting_for_you", _("Waiting for you")
    CLOSED = "closed", _("Closed")


class Conversation(models.Model):
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="conversations",
        verbose_name=_("customer"),
    )  # fmt: skip
    claim = models.ForeignKey(
        "benefits.Claim", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="conversations", verbose_name=_("claim"),
    )  # fmt: skip
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("topic")
    )
    subject = models.CharField(_("subject"), max_length=150)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ConversationStatus,
        default=ConversationStatus.WAITING_FOR_US,
    )  # fmt: skip
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    #: While it waits for us: since when, and by when the service level says we answer.
    waiting_since = models.DateTimeField(_("waiting for us since"), null=True, blank=True)
    reply_due_on = models.DateField(_("answer due by"), null=True, blank=True)
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="conversations", verbose_name=_("team"),
    )  # fmt: skip
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("assigned to"),
    )  # fmt: skip
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    needs_supervisor = models.BooleanField(_("needs a supervisor"), default=False)
    supervisor_reason = models.CharField(_("why a supervisor"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [
            # The person's list, newest first.
            models.Index(fields=["customer", "-last_message_at"], name="conv_customer_recent"),
            # The caseworkers' queue: only what waits for us, by due date then age.
            models.Index(
                fields=["reply_due_on", "waiting_since"],
                name="conv_queue",
                condition=Q(status="waiting_for_us"),
            ),
            # "Take the next conversation": the same order, only those nobody has yet.
            models.Index(
                fields=["reply_due_on", "waiting_since"],
                name="conv_next",
                condition=Q(status="waiting_for_us", assigned_to__isnull=True),
            ),
            # The retention schedule: closed conversations by their last message.
            models.Index(
                fields=["last_message_at"], name="conv_closed_idx", condition=Q(status="closed")
            ),
        ]
        permissions = [
            ("work_conversations", _("Can answer conversations")),
            ("transfer_conversations", _("Can give conversations to other staff or teams")),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"


class Author(models.TextChoices):
    CUSTOMER = "customer", _("The person")
    STAFF = "staff", _("The agency")


class Message(models.Model):
    """One message the person or the agency sent. Plain text; what staff only write to
    each other is an ``InternalNote``, never a message."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages",
        verbose_name=_("conversation"),
    )  # fmt: skip
    author = models.CharField(_("from"), max_length=10, choices=Author)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("written by"),
    )  # fmt: skip
    body = models.TextField(_("message"), max_length=MAX_MESSAGE_LENGTH)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    #: When the other side first read it (the person for ours, staff for theirs).
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    #: The form's one-time key: a double submit sends one message.
    submission_key = models.UUIDField(_("submission key"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        indexes = [
            models.Index(fields=["conversation", "sent_at"], name="conv_message_order"),
            models.Index(
                fields=["conversation"],
                name="conv_message_unread",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id} {self.author} {self.sent_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file sent with a message, checked by the evidence pipeline (content, size, scan)
    and kept privately like evidence."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(
        _("file"), storage=evidence_storage, upload_to="messages/%Y/%m/", max_length=200
    )
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 as received"), max_length=64)
    stored_sha256 = models.CharField(_("SHA-256 as kept"), max_length=64, blank=True)
    uploaded_at = models.DateTimeField(_("received"), auto_now_add=True)
    seen_at = models.DateTimeField(_("first opened by a caseworker"), null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]
        indexes = [models.Index(fields=["uploaded_at"], name="conv_attachment_uploaded")]

    def __str__(self) -> str:
        return self.original_name


class InternalNote(models.Model):
    """What staff write to each other about a conversation. Never shown to the person."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="notes",
        verbose_name=_("conversation"),
    )  # fmt: skip
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )  # fmt: skip
    at = models.DateTimeField(_("when"), auto_now_add=True)
    text = models.TextField(_("note"), max_length=4000)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id} {self.at:%Y-%m-%d %H:%M}"


class ReplyTemplate(models.Model):
    """A reply staff start from, edited in the admin. ``{name}``, ``{claim_reference}``,
    ``{benefit}`` and ``{reference}`` are filled in from the conversation."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="templates",
        verbose_name=_("for the topic"),
    )  # fmt: skip
    body = models.TextField(_("text"), max_length=MAX_MESSAGE_LENGTH)
    active = models.BooleanField(_("offered to staff"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
