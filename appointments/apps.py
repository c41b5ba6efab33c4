from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from accounts import hooks
        from accounts.models import AccessEvent
        from appointments import account_hooks, reminders
        from notifications import occasions

        hooks.ACCESS_DESCRIBERS[AccessEvent.What.APPOINTMENT] = account_hooks.describe_appointments
        for occasion in reminders.OCCASIONS:
            occasions.register(reminders.GROUP, occasion)
