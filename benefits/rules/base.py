"""The shared vocabulary of the rules: a household snapshot, rates, and a result.

Rules are pure functions: ``assess(household, on, rates, context) -> Result``. They never
touch the database; the caller loads the rates in force on the assessment date
(``benefits.selectors.rates_on``) and the facts (``benefits.snapshot``).

A fact the rule needs but the snapshot lacks is ``None``: the rule then reports it by its
name in ``Result.missing`` (dotted paths such as ``claimant.date_of_birth``) with the
verdict NEED_MORE_INFORMATION. The screener asks exactly the questions for those names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

PENNY = Decimal("0.01")
NIL = Decimal("0.00")  # the amount of an element that came to nothing


class Verdict(enum.StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_ASSESSMENT = "needs_assessment"  # may be eligible: the agency must assess
    NEED_MORE_INFORMATION = "need_more_information"


class Period(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"
    ONCE = "once"


class Housing(enum.StrEnum):
    RENT_SOCIAL = "rent_social"
    RENT_PRIVATE = "rent_private"
    MORTGAGE = "mortgage"
    NONE = "none"


class ChildDisability(enum.StrEnum):
    NONE = "none"
    LOWER = "lower"  # DLA care low/middle or PIP daily living standard
    HIGHER = "higher"  # DLA care highest or PIP daily living enhanced, or registered blind


class CareNeed(enum.StrEnum):
    """Help with personal care or supervision (Attendance Allowance, PIP daily living)."""

    NONE = "none"
    DAY_OR_NIGHT = "day_or_night"
    DAY_AND_NIGHT = "day_and_night"


@dataclass(frozen=True)
class Adult:
    date_of_birth: date | None = None
    # Money: net monthly earnings after tax, NI and pension contributions.
    monthly_earnings: Decimal | None = None
    weekly_hours_worked: Decimal | None = None
    # Other income, weekly: State Pension and other pensions already in payment.
    weekly_pension_income: Decimal | None = None
    # Health and work capability (UC).
    lcwra: bool | None = None
    lcwra_claim_before_2026: bool | None = None
    severe_conditions_or_terminal: bool | None = None
    # Disability and care needs (PIP, Attendance Allowance).
    care_need: CareNeed | None = None
    mobility_need: bool | None = None
    condition_long_term: bool | None = None  # 3 months so far and 9 more (PIP) / 6 months (AA)
    terminally_ill: bool | None = None
    # Caring (Carer's Allowance, UC carer element).
    caring_hours: int | None = None
    cared_for_gets_qualifying_benefit: bool | None = None
    weekly_earnings_for_carers: Decimal | None = None  # net weekly, for the CA limit
    in_full_time_education: bool | None = None
    # Work history (New Style JSA).
    paid_class1_ni_last_2_years: bool | None = None
    available_for_work: bool | None = None
    illness_prevents_work: bool | None = None
    # State Pension.
    ni_qualifying_years: int | None = None
    # Pregnancy (Maternity Allowance): pregnant, or had a baby in the last 39 weeks.
    pregnant: bool | None = None
    baby_due_date: date | None = None
    worked_26_of_66_weeks: bool | None = None
    earned_30_a_week_in_13_weeks: bool | None = None
    entitled_to_smp: bool | None = None
    average_weekly_earnings: Decimal | None = None


@dataclass(frozen=True)
class Child:
    date_of_birth: date | None = None
    in_approved_education: bool | None = None  # only asked for ages 16 to 19
    disability: ChildDisability | None = None
    two_child_limit_exception: bool | None = None  # multiple birth, adoption, kinship care…


@dataclass(frozen=True)
class Bereavement:
    partner_died_on: date | None = None
    was_married_or_civil_partners: bool | None = None  # or cohabiting with children
    partner_paid_ni_or_industrial_cause: bool | None = None


@dataclass(frozen=True)
class Household:
    """What the rules know about a household on one date. None means "not known yet"."""

    claimant: Adult = field(default_factory=Adult)
    has_partner: bool | None = None
    partner: Adult | None = None
    children: tuple[Child, ...] | None = None
    housing: Housing | None = None
    capital: Decimal | None = None  # savings and capital of the household, not the home
    lives_in_great_britain: bool | None = None
    bereavement: Bereavement | None = None

    @property
    def adults(self) -> tuple[Adult, ...]:
        return (
            (self.claimant, self.partner) if self.has_partner and self.partner else (self.claimant,)
        )


@dataclass(frozen=True)
class Element:
    """One line of an itemised award: a part of the benefit, or a deduction from it.

    Every element the benefit has is listed, those that came to nil included (with a
    ``note`` saying why), so an award statement can show the whole calculation. The signed
    amounts of an ELIGIBLE result's elements add up exactly to ``Result.amount``.
    """

    code: str  # stable machine id, e.g. "uc.standard_allowance"
    label: str  # translated plain English
    amount: Decimal  # signed: deductions are negative, nil elements Decimal("0.00")
    period: Period
    rule: str  # the law it comes from: the Act or regulation and section
    rate: str  # the parameter name(s) used, comma-separated, or "" when none
    note: str = ""  # why it came to nil, or what it stands in for

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "amount": str(self.amount),
            "period": self.period.value,
            "rule": self.rule,
            "rate": self.rate,
            "note": self.note,
        }


@dataclass(frozen=True)
class Result:
    benefit: str
    verdict: Verdict
    amount: Decimal | None = None
    period: Period | None = None
    explanation: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    # Other amounts a person should see (e.g. Bereavement Support Payment's first payment).
    extras: tuple[tuple[str, Decimal, Period], ...] = ()
    # The itemised calculation of ``amount`` (extras are not part of it): see ``Element``.
    elements: tuple[Element, ...] = ()
    # What an estimate leaves out or assumes ("This estimate does not include…"). Shown
    # with estimates (the screener, benefits not claimed), never in a decision, which is
    # worded from ``explanation`` alone.
    caveats: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "benefit": self.benefit,
            "verdict": self.verdict.value,
            "amount": None if self.amount is None else str(self.amount),
            "period": None if self.period is None else self.period.value,
            "explanation": list(self.explanation),
            "missing": list(self.missing),
            "extras": [
                {"label": label, "amount": str(amount), "period": period.value}
                for label, amount, period in self.extras
            ],
            "elements": [element.as_dict() for element in self.elements],
            "caveats": list(self.caveats),
        }


class Rates:
    """The parameters in force on one date: ``rates["uc.taper"]`` → Decimal.

    A missing parameter is a bug in the data, not a household's problem: KeyError with the
    name and the date.
    """

    def __init__(self, on: date, values: dict[str, Decimal]) -> None:
        self.on = on
        self._values = values

    def __getitem__(self, name: str) -> Decimal:
        try:
            return self._values[name]
        except KeyError:
            raise KeyError(f"No rate {name!r} in force on {self.on.isoformat()}") from None

    def get(self, name: str, default: Decimal | None = None) -> Decimal | None:
        return self._values.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def date(self, name: str) -> date:
        """A date parameter (a threshold such as 6 April 2017), stored as YYYYMMDD."""
        number = int(self[name])
        return date(number // 10000, number // 100 % 100, number % 100)


@dataclass
class Context:
    """Results of rules assessed earlier, for rules that depend on them (UC, Pension Credit)."""

    results: dict[str, Result] = field(default_factory=dict)


# --- Helpers the rules share ---------------------------------------------------------------


def money(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def gbp(value: Decimal) -> str:
    """£1,234.56 (or £3,500 for whole pounds); a negative amount as −£12.50, never £-12.50.

    Sentences that take something off say so in words and pass the amount taken off
    (positive); ``gbp_item`` words an amount that may be negative."""
    value = money(value)
    if value < 0:
        return f"−{gbp(-value)}"
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


def gbp_item(value: Decimal, per: str = "") -> str:
    """An itemised amount as people read it: "£83.30 a week", and a deduction as
    "£170.50 a week taken off" rather than a minus sign. ``per`` is the period in words
    ("a week"), already translated, or ""."""
    value = money(value)
    amount = f"{gbp(abs(value))} {per}".strip()
    if value < 0:
        return gettext("%(amount)s taken off") % {"amount": amount}
    return amount


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def weekly_to_monthly(weekly: Decimal) -> Decimal:
    """UC Regulations reg 73: weekly × 52 ÷ 12."""
    return weekly * 52 / 12


def monthly_to_weekly(monthly: Decimal) -> Decimal:
    return monthly * 12 / 52


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (clamped to the month's end)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_working_days(start: date, days: int) -> date:
    """``days`` working days after ``start`` (weekends skipped; bank holidays are not)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def state_pension_age_date(born: date) -> date:
    """The date a person reaches State Pension age (Pensions Acts 1995, 2007, 2011, 2014).

    Born before 6 Oct 1954 is not modelled in detail (they reached State Pension age before
    this portal's rates apply): treated as 65th birthday.
    """
    if born < date(1954, 10, 6):
        return add_months(born, 65 * 12)
    if born < date(1960, 4, 6):
        return add_months(born, 66 * 12)
    if born < date(1961, 3, 6):
        # Born 6 Apr 1960 – 5 Mar 1961: 66 years and 1 to 11 months, by month of birth.
        months_extra = (born.year - 1960) * 12 + born.month - 4 + (1 if born.day >= 6 else 0)
        return add_months(born, 66 * 12 + months_extra)
    if born < date(1977, 4, 6):
        return add_months(born, 67 * 12)
    if born < date(1978, 4, 6):
        # Born 6 Apr 1977 – 5 Apr 1978: phased from 67 to 68; modelled as 67 years and 1 to 12
        # months by month of birth (Pensions Act 2007 timetable, not yet brought forward).
        months_extra = (born.year - 1977) * 12 + born.month - 4 + (1 if born.day >= 6 else 0)
        return add_months(born, 67 * 12 + months_extra)
    return add_months(born, 68 * 12)


def has_reached_state_pension_age(born: date, on: date) -> bool:
    return on >= state_pension_age_date(born)


def need(missing: list[str], name: str, value: object) -> bool:
    """Record ``name`` as missing when ``value`` is None; True when the value is known."""
    if value is None:
        missing.append(name)
        return False
    return True


def more_information(
    benefit: str, missing: list[str], explanation: list[str] | None = None
) -> Result:
    return Result(
        benefit=benefit,
        verdict=Verdict.NEED_MORE_INFORMATION,
        missing=tuple(dict.fromkeys(missing)),
        explanation=tuple(explanation or ()),
    )
