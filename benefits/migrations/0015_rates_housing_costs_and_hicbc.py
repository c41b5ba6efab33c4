"""Rates for the UC housing costs element and the High Income Child Benefit Charge.

From ../shared/benefit-rates.md §1a (UC housing costs element, renters) and §2 (HICBC).
§1a's figures come from PolicyEngine UK's parameter files only, so every row of it carries
the SECONDARY mark. The Local Housing Allowance is loaded for one broad rental market area,
Sheffield (``uc.lha.sheffield.*``): rates frozen at the April 2024 level through 2025/26 and
2026/27. 2025/26 runs to 5 April 2026; 2026/27 from 6 April 2026.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

Y25 = date(2025, 4, 6)  # 2025/26 (UC assessment periods from April 2025)
Y26 = date(2026, 4, 6)  # 2026/27
UC_START = date(2013, 4, 29)  # Universal Credit Regulations 2013 in force
HICBC_2024 = date(2024, 4, 6)  # the £60,000 / £200 thresholds (Finance Act 2024)
SECONDARY = "SECONDARY: PolicyEngine UK parameter files only; no primary source could be opened"
LHA_NOTE = f"{SECONDARY}. Frozen at the April 2024 level"
HICBC_2026 = "NOT CONFIRMED: no change found for 2026/27; the statute text shows these figures"


def _lha(size: str, description: str, value: str) -> tuple:
    return (
        f"uc.lha.sheffield.{size}",
        "month",
        f"Local Housing Allowance, Sheffield broad rental market area, {description}",
        [
            (value, Y25, Y26, "§1a S34 (VOA LHA tables 2025-26)", LHA_NOTE),
            (value, Y26, None, "§1a S34 (VOA LHA tables 2026-27)", LHA_NOTE),
        ],
    )


# name, unit, description, [(value, from, to, source, note)]: the shape of 0002's RATES.
RATES = [
    # --- UC housing costs element (renters), benefit-rates.md §1a ------------------------
    (
        "uc.housing.non_dependant_deduction",
        "month",
        "UC housing cost contribution for each non-dependant aged 21 or over",
        [
            ("93.02", Y25, Y26, "§1a S34 (UC Regs 2013 Sch 4 paras 13-16)", SECONDARY),
            ("96.55", Y26, None, "§1a S34 (UC Regs 2013 Sch 4 paras 13-16)", SECONDARY),
        ],
    ),
    (
        "uc.housing.non_dependant_min_age",
        "count",
        "UC housing cost contribution: non-dependants of this age or over",
        [("21", UC_START, None, "§1a S34 (UC Regs 2013 Sch 4 para 16)", SECONDARY)],
    ),
    (
        "uc.housing.non_dependant_child_under",
        "count",
        "UC housing cost contribution: none for a non-dependant responsible for a child under",
        [("5", UC_START, None, "§1a S34 (UC Regs 2013 Sch 4 para 16(2))", SECONDARY)],
    ),
    (
        "uc.housing.shared_rate_under_age",
        "count",
        "UC: single renters without children under this age get the shared accommodation rate",
        [("35", UC_START, None, "§1a S34 (UC Regs 2013 Sch 4 para 28)", SECONDARY)],
    ),
    (
        "uc.housing.under_occupancy.one",
        "ratio",
        "UC social rented sector: eligible rent taken off for one extra bedroom",
        [("0.14", UC_START, None, "§1a S34 (UC Regs 2013 Sch 4 para 36)", SECONDARY)],
    ),
    (
        "uc.housing.under_occupancy.two_or_more",
        "ratio",
        "UC social rented sector: eligible rent taken off for two or more extra bedrooms",
        [("0.25", UC_START, None, "§1a S34 (UC Regs 2013 Sch 4 para 36)", SECONDARY)],
    ),
    _lha("shared", "shared accommodation rate (A)", "350.00"),
    _lha("1_bedroom", "1 bedroom (B)", "575.00"),
    _lha("2_bedrooms", "2 bedrooms (C)", "620.00"),
    _lha("3_bedrooms", "3 bedrooms (D)", "680.00"),
    _lha("4_bedrooms", "4 bedrooms (E)", "950.00"),
    # --- High Income Child Benefit Charge, §2 ---------------------------------------------
    # cb.hicbc.start is in 0002; these are the rest of the taper.
    (
        "cb.hicbc.step",
        "GBP",
        "HICBC: 1% of the Child Benefit for every this much adjusted net income over the start",
        [
            ("200", HICBC_2024, Y26, "§2 S16 (ITEPA 2003 s.681C), S17", ""),
            ("200", Y26, None, "§2 S16 (ITEPA 2003 s.681C)", HICBC_2026),
        ],
    ),
    (
        "cb.hicbc.end",
        "year",
        "HICBC: the whole of the Child Benefit is charged at this adjusted net income or more",
        [
            ("80000", HICBC_2024, Y26, "§2 S16, S17, S34", ""),
            ("80000", Y26, None, "§2 S16, S34", HICBC_2026),
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
    dependencies = [("benefits", "0014_change_to_review")]

    operations = [migrations.RunPython(load, unload)]
