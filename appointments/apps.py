from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from appointments.retention import register_appointments

        register_appointments()  # its entries in the retention schedule (accounts.retention)
        from django.db.models.signals import post_delete

        from accounts import hooks
        from accounts.models import AccessEvent
        from appointments import account_hooks, reminders, services
        from appointments.models import Appointment
        from notifications import occasions

        hooks.ACCESS_DESCRIBERS[AccessEvent.What.APPOINTMENT] = account_hooks.describe_appointments
        post_delete.connect(
            services.free_place_of_deleted, sender=Appointment, dispatch_uid="free-place"
        )
        for occasion in reminders.OCCASIONS:
            occasions.register(reminders.GROUP, occasion)

        from appointments import data_export
        from representatives.export.registry import register_section

        register_section("appointments", data_export.collect_appointments)  # "Download my data"
