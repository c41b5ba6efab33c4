from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneysConfig(AppConfig):
    name = "journeys"
    verbose_name = _("Life events and journeys")

    def ready(self) -> None:
        from journeys.retention import register_journeys

        register_journeys()  # its entries in the retention schedule (accounts.retention)
        from accounts.models import FACT_KIND_LABELS
        from journeys import nudges
        from notifications import occasions

        # The fact a reported move into a care home records (journeys.services).
        FACT_KIND_LABELS.setdefault("care_home", _("Moved into a care home"))
        for occasion in nudges.OCCASIONS:
            occasions.register(nudges.GROUP, occasion)

        from journeys import data_export
        from representatives.export.registry import register_section

        register_section("journeys", data_export.collect_journeys)  # "Download my data"
