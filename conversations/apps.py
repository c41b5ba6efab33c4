from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Secure messages")

    def ready(self) -> None:
        from conversations.retention import register_conversations

        register_conversations()  # its entries in the retention schedule (accounts.retention)
        from accounts import hooks
        from accounts.models import AccessEvent
        from conversations import account_hooks

        hooks.ACCESS_DESCRIBERS[AccessEvent.What.CONVERSATION] = (
            account_hooks.describe_conversations
        )
        hooks.ACCESS_DESCRIBERS[AccessEvent.What.MESSAGE_FILE] = (
            account_hooks.describe_message_files
        )

        from conversations import data_export
        from representatives.export.registry import register_section

        register_section("messages", data_export.collect_messages)  # "Download my data"
