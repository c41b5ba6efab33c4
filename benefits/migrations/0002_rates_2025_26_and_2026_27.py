"""The demo catalogue's rates: United Kingdom published rates for 2025/26 and 2026/27.

From ../shared/benefit-rates.md (its section numbers and source codes S1–S48 are quoted in
each row's source). Figures that file marks NOT CONFIRMED or SECONDARY carry the mark in
their note. 2025/26 runs to 5 April 2026; 2026/27 from 6 April 2026.

Dates used as thresholds are stored as YYYYMMDD numbers with unit "date".
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

Y25 = date(2025, 4, 6)  # 2025/26 (UC assessment periods from April 2025)
W25 = date(2025, 4, 7)  # weekly benefits uprated on Monday 7 April 2025
Y26 = date(2026, 4, 6)  # 2026/27
SECONDARY = "SECONDARY: one non-official source only (PolicyEngine), consistent with 3.8% uprating"
NOT_CONFIRMED = "NOT CONFIRMED"

# name, unit, description, [(value, from, to, source, note)]
RATES = [
    # --- Universal Credit (monthly), benefit-rates.md §1 ---------------------------------
    (
        "uc.standard_allowance.single_under_25",
        "month",
        "UC standard allowance, single, under 25",
        [("316.98", Y25, Y26, "§1.1 S3, S5", ""), ("338.58", Y26, None, "§1.1 S6, S7, S35", "")],
    ),
    (
        "uc.standard_allowance.single_25_plus",
        "month",
        "UC standard allowance, single, 25 or over",
        [("400.14", Y25, Y26, "§1.1 S3, S5", ""), ("424.90", Y26, None, "§1.1 S6, S7, S35", "")],
    ),
    (
        "uc.standard_allowance.couple_both_under_25",
        "month",
        "UC standard allowance, joint claimants, both under 25",
        [("497.55", Y25, Y26, "§1.1 S3, S5", ""), ("528.34", Y26, None, "§1.1 S6, S35", "")],
    ),
    (
        "uc.standard_allowance.couple_one_25_plus",
        "month",
        "UC standard allowance, joint claimants, one or both 25 or over",
        [("628.10", Y25, Y26, "§1.1 S3, S5", ""), ("666.97", Y26, None, "§1.1 S6, S7, S35", "")],
    ),
    (
        "uc.child_element.first_born_before_2017",
        "month",
        "UC child element, first child born before 6 April 2017",
        [("339.00", Y25, Y26, "§1.1 S5", ""), ("351.88", Y26, None, "§1.1 S7", "")],
    ),
    (
        "uc.child_element.other",
        "month",
        "UC child element, each other child",
        [("292.81", Y25, Y26, "§1.1 S5", ""), ("303.94", Y26, None, "§1.1 S7", "")],
    ),
    (
        "uc.child_element.higher_rate_born_before",
        "date",
        "Eldest child born before this date gets the higher first-child rate",
        [("20170406", date(2017, 4, 6), None, "§1.1 S5", "")],
    ),
    (
        "uc.two_child_limit.applies",
        "flag",
        "Two-child limit on the UC child element (1 = applies)",
        [
            ("1", date(2017, 4, 6), Y26, "§1.1 S5, S45", ""),
            (
                "0",
                Y26,
                None,
                "§1.1 S30 Universal Credit (Removal of Two Child Limit) Act 2026 c.13, S31b",
                "",
            ),
        ],
    ),
    (
        "uc.two_child_limit.protected_born_before",
        "date",
        "Children born before this date always count under the two-child limit",
        [("20170406", date(2017, 4, 6), None, "§1.2 S5, S45", "")],
    ),
    (
        "uc.disabled_child.lower",
        "month",
        "UC disabled child addition, lower rate",
        [("158.76", Y25, Y26, "§1.1 S5", ""), ("164.79", Y26, None, "§1.1 S34", SECONDARY)],
    ),
    (
        "uc.disabled_child.higher",
        "month",
        "UC disabled child addition, higher rate",
        [("495.87", Y25, Y26, "§1.1 S5", ""), ("514.71", Y26, None, "§1.1 S34", SECONDARY)],
    ),
    (
        "uc.lcwra.amount",
        "month",
        "UC LCWRA element (before the April 2026 split)",
        [("423.27", Y25, Y26, "§1.1 S5, S6", "")],
    ),
    (
        "uc.lcwra.protected",
        "month",
        "UC LCWRA element from 6 April 2026: claims before then, severe conditions, terminally ill",
        [("429.80", Y26, None, "§1.1 S6, S7", "")],
    ),
    (
        "uc.lcwra.new_claim",
        "month",
        "UC LCWRA element from 6 April 2026: new claims not meeting the severe conditions criteria",
        [("217.26", Y26, None, "§1.1 S6, S7, S35, S34", "Frozen to 2029/30")],
    ),
    (
        "uc.carer_element",
        "month",
        "UC carer element",
        [("201.68", Y25, Y26, "§1.1 S5", ""), ("209.34", Y26, None, "§1.1 S34", SECONDARY)],
    ),
    (
        "uc.carer_element.min_hours",
        "count",
        "Hours of care a week for the UC carer element",
        [("35", date(2013, 4, 29), None, "§1.2 S33", "")],
    ),
    (
        "uc.work_allowance.higher",
        "month",
        "UC work allowance, no housing costs element",
        [("684", Y25, Y26, "§1.1 S5, S46", ""), ("710", Y26, None, "§1.1 S34", SECONDARY)],
    ),
    (
        "uc.work_allowance.lower",
        "month",
        "UC work allowance, housing costs element included",
        [("411", Y25, Y26, "§1.1 S46, S34", ""), ("427", Y26, None, "§1.1 S34", SECONDARY)],
    ),
    (
        "uc.taper",
        "ratio",
        "UC earnings taper",
        [("0.55", date(2021, 11, 24), None, "§1.1 S46, S34 (UC Regs 2013 reg 22)", "")],
    ),
    (
        "uc.capital.lower",
        "GBP",
        "UC capital fully ignored up to",
        [("6000", date(2013, 4, 29), None, "§1.1 S4, S14, S15", "")],
    ),
    (
        "uc.capital.upper",
        "GBP",
        "UC capital upper limit",
        [("16000", date(2013, 4, 29), None, "§1.1 S4, S14", "")],
    ),
    (
        "uc.capital.tariff_step",
        "GBP",
        "UC tariff income: for each this much, or part of it, above the lower limit",
        [("250", date(2013, 4, 29), None, "§1.1 S15 (UC Regs reg 72), S14", "")],
    ),
    (
        "uc.capital.tariff_per_step",
        "month",
        "UC tariff income per step",
        [("4.35", date(2013, 4, 29), None, "§1.1 S15 (UC Regs reg 72), S14", "")],
    ),
    (
        "uc.min_age",
        "count",
        "Youngest age to claim UC (most cases)",
        [("18", date(2013, 4, 29), None, "§1.2 S26", "")],
    ),
    # --- Child Benefit (weekly), §2 ----------------------------------------------------
    (
        "cb.eldest",
        "week",
        "Child Benefit, eldest or only child",
        [("26.05", W25, Y26, "§2 S10, S8, S34", ""), ("27.05", Y26, None, "§2 S10, S8, S34", "")],
    ),
    (
        "cb.additional",
        "week",
        "Child Benefit, each additional child",
        [("17.25", W25, Y26, "§2 S10, S8, S34", ""), ("17.90", Y26, None, "§2 S10, S8, S34", "")],
    ),
    (
        "cb.max_age",
        "count",
        "Child Benefit: under this age always counts",
        [("16", date(2013, 1, 7), None, "§2 S34 (SSCBA 1992 s.142)", "")],
    ),
    (
        "cb.max_age_in_education",
        "count",
        "Child Benefit: under this age if in approved education or training",
        [("20", date(2013, 1, 7), None, "§2 S34 (SSCBA 1992 s.142)", "")],
    ),
    (
        "cb.hicbc.start",
        "year",
        "High Income Child Benefit Charge starts above this adjusted net income",
        [
            ("60000", date(2024, 4, 6), Y26, "§2 S16, S17", ""),
            ("60000", Y26, None, "§2 S16", f"{NOT_CONFIRMED}: no change found for 2026/27"),
        ],
    ),
    # --- Carer's Allowance (weekly), §3 --------------------------------------------------
    (
        "ca.weekly_rate",
        "week",
        "Carer's Allowance",
        [("83.30", W25, Y26, "§3 S4, S10, S11", ""), ("86.45", Y26, None, "§3 S6, S11", "")],
    ),
    (
        "ca.earnings_limit",
        "week",
        "Carer's Allowance earnings limit (net)",
        [("196", W25, Y26, "§3 S10, S11, S38, S48", ""), ("204", Y26, None, "§3 S10, S11", "")],
    ),
    (
        "ca.min_hours",
        "count",
        "Carer's Allowance: hours of care a week",
        [("35", date(1976, 4, 6), None, "§3 S12, S34", "")],
    ),
    (
        "ca.min_age",
        "count",
        "Carer's Allowance: youngest age",
        [("16", date(1976, 4, 6), None, "§3 S12", "")],
    ),
    # --- New State Pension (weekly), §4 -------------------------------------------------
    (
        "sp.full_rate",
        "week",
        "Full new State Pension",
        [("230.25", W25, Y26, "§4 S3, S27c", ""), ("241.30", Y26, None, "§4 S7, S9, S35, S34", "")],
    ),
    (
        "sp.min_years",
        "count",
        "Qualifying years for any new State Pension",
        [("10", date(2016, 4, 6), None, "§4 S27a, S27b", "")],
    ),
    (
        "sp.full_years",
        "count",
        "Qualifying years for the full new State Pension",
        [("35", date(2016, 4, 6), None, "§4 S27a, S27b", "")],
    ),
    # --- Pension Credit (weekly), §5 ----------------------------------------------------
    (
        "pc.guarantee.single",
        "week",
        "Pension Credit standard minimum guarantee, single",
        [("227.10", W25, Y26, "§5 S24", ""), ("238.00", Y26, None, "§5 S9, S35", "")],
    ),
    (
        "pc.guarantee.couple",
        "week",
        "Pension Credit standard minimum guarantee, couple",
        [("346.60", W25, Y26, "§5 S24", ""), ("363.25", Y26, None, "§5 S9, S35", "")],
    ),
    (
        "pc.capital.disregard",
        "GBP",
        "Pension Credit: capital ignored up to",
        [("10000", date(2009, 11, 2), None, "§5 S24, S25, S34", "")],
    ),
    (
        "pc.capital.step",
        "GBP",
        "Pension Credit deemed income: for each this much, or part of it",
        [("500", date(2009, 11, 2), None, "§5 S25, S34", "")],
    ),
    (
        "pc.capital.per_step",
        "week",
        "Pension Credit deemed income per step",
        [("1", date(2009, 11, 2), None, "§5 S25, S34", "")],
    ),
    # --- New Style JSA (weekly), §6 ------------------------------------------------------
    (
        "jsa.under_25",
        "week",
        "New Style JSA, age 18 to 24",
        [("72.90", W25, Y26, "§6 S22", ""), ("75.65", Y26, None, "§6 S23, S34", "")],
    ),
    (
        "jsa.25_plus",
        "week",
        "New Style JSA, age 25 or over",
        [("92.05", W25, Y26, "§6 S22", ""), ("95.55", Y26, None, "§6 S23, S34", "")],
    ),
    (
        "jsa.max_hours",
        "count",
        "New Style JSA: working fewer than this many hours a week",
        [("16", date(1996, 10, 7), None, "§6 S21", "")],
    ),
    (
        "jsa.max_days",
        "count",
        "New Style JSA: longest award in days",
        [("182", date(1996, 10, 7), None, "§6 S21", "")],
    ),
    # --- Attendance Allowance (weekly), §7 ------------------------------------------------
    (
        "aa.lower",
        "week",
        "Attendance Allowance, lower rate",
        [("73.90", W25, Y26, "§7 S1, S2, S4", ""), ("76.70", Y26, None, "§7 S1, S2, S4", "")],
    ),
    (
        "aa.higher",
        "week",
        "Attendance Allowance, higher rate",
        [("110.40", W25, Y26, "§7 S1, S2, S4", ""), ("114.60", Y26, None, "§7 S1, S2, S4", "")],
    ),
    # --- Maternity Allowance (weekly), §8 --------------------------------------------------
    (
        "ma.standard",
        "week",
        "Maternity Allowance standard rate (or 90% of average earnings if lower)",
        [
            ("187.18", W25, Y26, "§8 S18, S10", ""),
            (
                "194.32",
                Y26,
                None,
                "§8 S19 (Statutory Maternity Pay 2026/27)",
                f"{NOT_CONFIRMED}: inferred from SMP; no source states the MA 2026/27 rate",
            ),
        ],
    ),
    (
        "ma.lower",
        "week",
        "Maternity Allowance lower rate",
        [
            ("27", W25, Y26, "§8 S18", ""),
            (
                "27",
                Y26,
                None,
                "§8 S18",
                f"{NOT_CONFIRMED}: 2026/27 figure not found; 2025/26 value carried forward",
            ),
        ],
    ),
    (
        "ma.earnings_threshold",
        "week",
        "Maternity Allowance: earnings in 13 of the 66 weeks",
        [
            ("30", W25, Y26, "§8 S10", ""),
            (
                "30",
                Y26,
                None,
                "§8 S10",
                f"{NOT_CONFIRMED}: 2026/27 figure not found; 2025/26 value carried forward",
            ),
        ],
    ),
    (
        "ma.earnings_fraction",
        "ratio",
        "Maternity Allowance: share of average weekly earnings",
        [("0.9", date(2000, 4, 1), None, "§8 S18", "")],
    ),
    (
        "ma.weeks",
        "count",
        "Maternity Allowance: weeks paid",
        [("39", date(2007, 4, 1), None, "§8 S18", "")],
    ),
    # --- Bereavement Support Payment, §9 -------------------------------------------------
    (
        "bsp.deaths_from",
        "date",
        "Bereavement Support Payment: deaths on or after this date",
        [("20170406", date(2017, 4, 6), None, "§9 S20", "")],
    ),
    (
        "bsp.higher.first",
        "once",
        "Bereavement Support Payment higher rate, first payment",
        [("3500", date(2017, 4, 6), None, "§9 S1, S2, S20", "")],
    ),
    (
        "bsp.higher.monthly",
        "month",
        "Bereavement Support Payment higher rate, monthly payments",
        [("350", date(2017, 4, 6), None, "§9 S1, S20, S39", "")],
    ),
    (
        "bsp.standard.first",
        "once",
        "Bereavement Support Payment standard rate, first payment",
        [("2500", date(2017, 4, 6), None, "§9 S1, S2, S20", "")],
    ),
    (
        "bsp.standard.monthly",
        "month",
        "Bereavement Support Payment standard rate, monthly payments",
        [("100", date(2017, 4, 6), None, "§9 S1, S2, S20", "")],
    ),
    (
        "bsp.monthly_payments",
        "count",
        "Bereavement Support Payment: number of monthly payments",
        [("18", date(2017, 4, 6), None, "§9 S20", "")],
    ),
    (
        "bsp.full_claim_months",
        "count",
        "Bereavement Support Payment: claim within this many months for every payment",
        [("3", date(2017, 4, 6), None, "§9 S20", "")],
    ),
    (
        "bsp.last_claim_months",
        "count",
        "Bereavement Support Payment: nothing payable this many months after the death",
        [("21", date(2017, 4, 6), None, "§9 S20", "")],
    ),
    # --- PIP (weekly), §10 -------------------------------------------------------------------
    (
        "pip.daily_living.standard",
        "week",
        "PIP daily living, standard rate",
        [("73.90", W25, Y26, "§10 S41, S4", ""), ("76.70", Y26, None, "§10 S6, S47", "")],
    ),
    (
        "pip.daily_living.enhanced",
        "week",
        "PIP daily living, enhanced rate",
        [("110.40", W25, Y26, "§10 S41, S4", ""), ("114.60", Y26, None, "§10 S6, S47", "")],
    ),
    (
        "pip.mobility.standard",
        "week",
        "PIP mobility, standard rate",
        [("29.20", W25, Y26, "§10 S41, S4", ""), ("30.30", Y26, None, "§10 S6, S47", "")],
    ),
    (
        "pip.mobility.enhanced",
        "week",
        "PIP mobility, enhanced rate",
        [("77.05", W25, Y26, "§10 S41, S4", ""), ("80.00", Y26, None, "§10 S6, S47", "")],
    ),
    (
        "pip.min_age",
        "count",
        "PIP: youngest age for a new claim",
        [("16", date(2013, 4, 8), None, "§10 S29", "")],
    ),
]


def load(apps, schema_editor):
    Parameter = apps.get_model("benefits", "Parameter")
    rows = []
    for name, unit, description, values in RATES:
        for value, start, end, source, note in values:
            rows.append(
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
            )
    Parameter.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("benefits", "Parameter").objects.filter(
        name__in=[name for name, *_ in RATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_catalogue_and_rates")]

    operations = [migrations.RunPython(load, unload)]
