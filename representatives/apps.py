from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentativesConfig(AppConfig):
    name = "representatives"
    verbose_name = _("Representatives and your data")

    def ready(self) -> None:
        from notifications import services as notification_services
        from representatives import consents, copies, services
        from representatives.export import sections
        from representatives.retention import register_representatives, tasks  # noqa: F401

        notification_services.COPY_TO.append(copies.copies_for)
        # Withdrawing "share with this representative" on the consents page stops them.
        consents.ON_WITHDRAWN.setdefault(consents.REPRESENTATIVES, []).append(
            services.stop_on_withdrawn_consent
        )
        register_representatives()  # its entries in the retention schedule (accounts.retention)
        sections.register()  # "Download my data": the sections this app and those below fill
