from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Benefits and claims")

    def ready(self) -> None:
        from benefits.retention import register_benefits

        register_benefits()  # its entries in the retention schedule (accounts.retention)
        from accounts import hooks
        from accounts.models import AccessEvent
        from benefits import account_hooks
        from benefits.casework import admin  # noqa: F401  (registers the caseworkers' admin)
        from benefits.casework.tasks import queue_straight_through
        from benefits.claims import reminders, signals
        from notifications import occasions

        hooks.ACCESS_DESCRIBERS[AccessEvent.What.CLAIM] = account_hooks.describe_claims
        hooks.ACCESS_DESCRIBERS[AccessEvent.What.DOCUMENT] = account_hooks.describe_documents
        hooks.support_needs_changed.connect(
            account_hooks.refresh_queue_priority, dispatch_uid="benefits-queue-priority"
        )
        signals.may_be_decided.connect(
            queue_straight_through, dispatch_uid="benefits-straight-through"
        )
        for occasion in reminders.OCCASIONS:
            occasions.register(occasions.REMINDERS, occasion)
