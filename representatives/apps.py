from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentativesConfig(AppConfig):
    name = "representatives"
    verbose_name = _("Representatives and your data")

    def ready(self) -> None:
        from notifications import services as notification_services
        from representatives import copies
        from representatives.export import sections
        from representatives.retention import register_representatives, tasks  # noqa: F401

        notification_services.COPY_TO.append(copies.copies_for)
        register_representatives()  # its entries in the retention schedule (accounts.retention)
        sections.register()  # "Download my data": the sections this app and those below fill
