"""The benefit years whose rates are all loaded: 2025/26 and 2026/27.

One ``rates.loaded`` row per year, from 6 April to 5 April; 2025/26's from Monday 7 April
2025, the day the weekly benefits were uprated (on 6 April only the monthly rates were in
force, and assessing every benefit failed for want of the weekly ones). ``rates_on`` refuses a date no
row covers, so a date after the last year with rates is an error naming that year instead
of an assessment with last year's figures. Loading a new year's rates ends with adding
its row (docs/operations.md).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

W25 = date(2025, 4, 7)
Y26 = date(2026, 4, 6)
Y27 = date(2027, 4, 6)

# name, unit, description, [(value, from, to, source, note)]: the shape of 0002's RATES.
RATES = [
    (
        "rates.loaded",
        "flag",
        "Every rate of this benefit year is loaded; assessments on dates no row covers are refused",
        [
            ("1", W25, Y26, "2025/26 (migration 0002, 0015)", ""),
            ("1", Y26, Y27, "2026/27 (migration 0002, 0015)", ""),
        ],
    ),
]


def load(apps, schema_editor):
    Parameter = apps.get_model("benefits", "Parameter")
    Parameter.objects.bulk_create(
        Parameter(
            name=name,
            unit=unit,
            description=description,
            value=Decimal(value),
            effective_from=start,
            effective_to=end,
            source=f"benefit-rates.md {source}",
            note=note,
        )
        for name, unit, description, values in RATES
        for value, start, end, source, note in values
    )


def unload(apps, schema_editor):
    apps.get_model("benefits", "Parameter").objects.filter(
        name__in=[name for name, *_ in RATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("benefits", "0020_document_automated_check")]

    operations = [migrations.RunPython(load, unload)]
