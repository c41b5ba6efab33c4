from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import authentication_step_completed, email_changed
        from allauth.usersessions.models import UserSession
        from django.db.models.signals import post_delete, post_save

        from accounts import receivers, sessions

        # allauth's only hook for a confirmed email change is its signal; the receiver
        # calls one service and nothing else.
        email_changed.connect(receivers.contact_email_follows_sign_in_email)
        # Sessions end or renew on the server where people expect it (accounts/sessions.py).
        authentication_step_completed.connect(sessions.renew_key_after_reauthentication)
        post_delete.connect(sessions.end_session_of_deleted_row, sender=UserSession)
        post_save.connect(sessions.end_sessions_of_inactive_user, sender=self.get_model("User"))
