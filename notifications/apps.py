from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications.retention import register_notifications

        register_notifications()  # its entries in the retention schedule (accounts.retention)
        from accounts import hooks
        from notifications.emails import queue_email

        # accounts' emails (sign-up, password reset, notices) go through our outbox.
        hooks.set_mail_outbox(queue_email)
