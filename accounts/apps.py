from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts.retention import register_accounts

        register_accounts()  # its entries in the retention schedule (accounts.retention)
        from allauth.account import signals as account_signals
        from allauth.account.signals import authentication_step_completed, email_changed
        from allauth.mfa import signals as mfa_signals
        from allauth.usersessions.models import UserSession
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import post_delete, post_save

        from accounts import receivers, security_log, sessions

        # allauth's only hook for a confirmed email change is its signal; the receiver
        # calls one service and nothing else.
        email_changed.connect(receivers.contact_email_follows_sign_in_email)
        # Sessions end or renew on the server where people expect it (accounts/sessions.py).
        authentication_step_completed.connect(sessions.renew_key_after_reauthentication)
        post_delete.connect(sessions.end_session_of_deleted_row, sender=UserSession)
        post_save.connect(sessions.end_sessions_of_inactive_user, sender=self.get_model("User"))
        # Security events to the "security" logger (accounts/security_log.py).
        auth_signals.user_logged_in.connect(security_log.signed_in)
        auth_signals.user_login_failed.connect(security_log.sign_in_failed)
        auth_signals.user_logged_out.connect(security_log.signed_out)
        authentication_step_completed.connect(security_log.step_completed)
        mfa_signals.authenticator_used.connect(security_log.second_factor_used)
        mfa_signals.authentication_failed.connect(security_log.second_factor_failed)
        for signal, event in (
            (account_signals.password_changed, "password_changed"),
            (account_signals.password_set, "password_set"),
            (account_signals.password_reset, "password_reset"),
            (account_signals.email_changed, "email_changed"),
            (mfa_signals.authenticator_added, "mfa_added"),
            (mfa_signals.authenticator_removed, "mfa_removed"),
            (mfa_signals.authenticator_reset, "mfa_reset"),
        ):
            # weak=False: the receiver is made here and nothing else holds it.
            signal.connect(security_log.account_change(event), weak=False)
