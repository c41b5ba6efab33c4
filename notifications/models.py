"""Telling people: the in-app inbox.

A ``Notification`` is written in the same transaction as whatever it announces (a claim's
status change, a request for information), so the person is never told about something
that did not happen, and nothing that happened goes untold. The Notifications issue adds
the outbox (email, SMS, letters) on top of the same rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
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
            models.Index(fields=["created_at"], name="notif_created_idx"),  # retention
        ]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    LETTER = "letter", _("Letter")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, will try again")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    PRINT_QUEUE = "print_queue", _("In the print queue")
    FAILED = "failed", _("Could not be sent")
    UNCERTAIN = "uncertain", _("May have been sent: check before sending again")


# Deliveries a worker still has to act on.
WAITING = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class Delivery(models.Model):
    """The outbox: one row per notification and channel, written with the notification.

    A worker claims a row by locking it and checking its status; while it sends, the row
    is "sending" under a lease. A send that never reported back (the worker died) becomes
    "uncertain" when the lease runs out, rather than being sent again.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries",
        verbose_name=_("notification"),
    )  # fmt: skip
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("sending until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notifications_one_delivery_per_channel"
            )
        ]
        indexes = [
            # The sweeper's question: what is due now? Only waiting rows are indexed.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "retrying"]),
                name="notif_delivery_due_idx",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=models.Q(status="sending"),
                name="notif_delivery_lease_idx",
            ),
            models.Index(
                fields=["channel", "created_at"],
                condition=models.Q(status="print_queue"),
                name="notif_delivery_print_idx",
            ),
            # The retention schedule: finished deliveries by age.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=["sent", "failed"]),
                name="notif_delivery_done_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.channel}: {self.status}"


class PrintQueueEntry(Delivery):
    """Letters waiting to be printed and posted, for caseworkers (a view of Delivery)."""

    class Meta:
        proxy = True
        verbose_name = _("letter to post")
        verbose_name_plural = _("print queue")


class Preferences(models.Model):
    """How a person wants to hear from us, per kind of message and channel.

    ``channels`` maps a kind ("status", "reminder", …) to the channels chosen for it. With
    no row, the person's contact channels from their profile apply to every kind. Status
    changes always appear in the portal, whatever is chosen here.
    """

    customer = models.OneToOneField(
        "accounts.Customer", on_delete=models.CASCADE, related_name="notification_preferences",
        verbose_name=_("customer"),
    )  # fmt: skip
    channels = models.JSONField(_("channels per kind"), default=dict, blank=True)
    quiet_from = models.TimeField(_("no texts from"), null=True, blank=True)
    quiet_until = models.TimeField(_("no texts until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.customer_id)


class Reminder(models.Model):
    """A reminder that was sent, under a key naming what, for whom and which occasion
    (``inforeq:123:due-in-3``). The unique key is what makes re-running the daily job, or
    two beats running it at once, send nothing twice."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    key = models.CharField(_("occasion"), max_length=120)
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["customer", "key"], name="notifications_reminder_once")
        ]
        indexes = [models.Index(fields=["created_at"], name="notif_reminder_created_idx")]

    def __str__(self) -> str:
        return self.key


class OutgoingEmail(models.Model):
    """The outbox for emails to an address rather than to a person's inbox: what accounts
    sends (confirming an address, "you already have an account", password resets, notices
    of changed credentials), handed over through ``accounts.hooks``.

    The request writes the row; a worker sends it after commit, so no request waits for the
    mail server and a response's timing cannot tell whether an email went. Claimed and
    finished like a ``Delivery``. The body can hold a sign-in link, so it is blanked once
    the row is finished (sent, failed or uncertain).
    """

    to = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=320)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("sending until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status__in=["pending", "retrying"]),
                name="notif_email_due_idx",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=models.Q(status="sending"),
                name="notif_email_lease_idx",
            ),
            # The retention schedule: finished emails by age.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status__in=["sent", "failed"]),
                name="notif_email_done_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk} to {self.to}: {self.status}"
