"""Notifications' entries in the retention schedule (``accounts.retention``), registered in
``NotificationsConfig.ready()``. The demo agency's periods; see that module."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.retention import LegalBasis, Period, Rule, register

FINISHED = ("sent", "failed")


def register_notifications() -> None:
    register(
        Rule(
            key="notifications.email",
            model="notifications.OutgoingEmail",
            name=_("Emails about your sign-in (confirming your address, password resets)"),
            keep=Period(days=90),
            clock="created_at",
            after=_("after the email was sent"),
            condition=Q(status__in=FINISHED),
            basis=LegalBasis.SECURITY,
        ),
        Rule(
            key="notifications.delivery",
            model="notifications.Delivery",
            name=_("The record of each email, text message and letter we sent you"),
            keep=Period(years=1),
            clock="created_at",
            after=_("after it was sent"),
            condition=Q(status__in=FINISHED),
        ),
        Rule(
            key="notifications.notification",
            model="notifications.Notification",
            name=_("Messages in your notifications"),
            keep=Period(years=2),
            clock="created_at",
            after=_("after we sent them"),
            includes=_("The reminders we sent you go with them."),
        ),
        Rule(
            key="notifications.reminder",
            model="notifications.Reminder",
            name=_("Which reminders we sent you (so we never send one twice)"),
            keep=Period(years=2),
            clock="created_at",
            after=_("after the reminder was sent"),
        ),
    )
