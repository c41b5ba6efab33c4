from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from allauth.account.signals import email_changed

        from accounts import receivers

        # allauth's only hook for a confirmed email change is its signal; the receiver
        # calls one service and nothing else.
        email_changed.connect(receivers.contact_email_follows_sign_in_email)
