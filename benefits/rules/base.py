"""The shared vocabulary of the rules: a household snapshot, rates, and a result.

Rules are pure functions: ``assess(household, on, rates, context) -> Result``. They never
touch the database; the caller loads the rates in force on the assessment date
(``benefits.catalogue.selectors.rates_on``) and the facts (``benefits.assessment``).

A fact the rule needs but the snapshot lacks is ``None``: the rule then reports it by its
name in ``Result.missing`` (dotted paths such as ``claimant.date_of_birth``) with the
verdict NEED_MORE_INFORMATION. The screener asks exactly the questions for those names.
"""

from __future__ import annotations

import enum
import functools
import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import holidays
from django.utils.translation import gettext

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13

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
    YEAR = "year"  # a tax year (the High Income Child Benefit Charge)


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


class PipRate(enum.StrEnum):
    """A PIP component in payment (daily living or mobility)."""

    NONE = "none"
    STANDARD = "standard"
    ENHANCED = "enhanced"


class AttendanceRate(enum.StrEnum):
    """Attendance Allowance in payment."""

    NONE = "none"
    LOWER = "lower"
    HIGHER = "higher"


class Sex(enum.StrEnum):
    """A child's sex: only for the bedrooms a household is allowed (children of the same sex
    under 16 share a room)."""

    FEMALE = "female"
    MALE = "male"


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
    # Awards already in payment (facts, not estimates): counted by every rule that depends on
    # them. The benefit's own rule reports an award in payment instead of estimating one.
    pip_daily_living: PipRate | None = None
    pip_mobility: PipRate | None = None
    attendance_allowance: AttendanceRate | None = None
    weekly_state_pension: Decimal | None = None  # State Pension in payment, £ a week
    gets_carers_allowance: bool | None = None
    # The person this adult cares for is their partner in the household: the partner's own
    # awards then answer "does the person you care for get a qualifying benefit?".
    cares_for_partner: bool | None = None
    registered_blind: bool | None = None  # severely sight impaired (UC housing costs)
    # High Income Child Benefit Charge: adjusted net income for the tax year, £ a year.
    adjusted_net_income: Decimal | None = None

    @property
    def gets_daily_living_award(self) -> bool:
        """Gets PIP daily living or Attendance Allowance at any rate (as far as we know)."""
        return self.pip_daily_living in (PipRate.STANDARD, PipRate.ENHANCED) or (
            self.attendance_allowance in (AttendanceRate.LOWER, AttendanceRate.HIGHER)
        )


@dataclass(frozen=True)
class Child:
    date_of_birth: date | None = None
    in_approved_education: bool | None = None  # only asked for ages 16 to 19
    disability: ChildDisability | None = None
    two_child_limit_exception: bool | None = None  # multiple birth, adoption, kinship care…
    sex: Sex | None = None  # only asked for the bedrooms allowed (UC housing costs)


@dataclass(frozen=True)
class NonDependant:
    """An adult who lives in the home but is not in the claim (a grown-up son, a lodger who
    is family…): UC takes a housing cost contribution for each one aged 21 or over."""

    date_of_birth: date | None = None
    # Gets PIP daily living, the DLA care component, Attendance Allowance or Carer's Allowance.
    gets_disability_or_carer_benefit: bool | None = None
    responsible_for_child_under_5: bool | None = None


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
    # Housing costs (UC housing costs element). Only used once ``monthly_rent`` is known.
    monthly_rent: Decimal | None = None  # eligible rent, £ a month, less ineligible charges
    monthly_mortgage: Decimal | None = None  # mortgage payments, £ a month (explained only)
    bedrooms: int | None = None  # bedrooms in the home (social renters: under-occupancy)
    non_dependants: tuple[NonDependant, ...] | None = None  # () for none
    needs_overnight_carer: bool | None = None  # a carer who stays overnight: one more bedroom

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
    # Charges outside the award, not part of ``amount`` (the High Income Child Benefit
    # Charge): signed elements, negative, each with its own period.
    charges: tuple[Element, ...] = ()
    # Facts the estimate went without, by the dotted names of ``missing``: the verdict does
    # not wait for them, but giving them may change the amount (e.g. ``monthly_rent``).
    left_out: tuple[str, ...] = ()
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
            "charges": [element.as_dict() for element in self.charges],
            "left_out": list(self.left_out),
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


class Nation(enum.StrEnum):
    """The UK's bank holidays differ by nation; England and Wales share theirs."""

    ENGLAND_AND_WALES = "england_and_wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


# Postcode areas wholly or mainly in Scotland (TD: the Borders; its TD15 district,
# Berwick-upon-Tweed, is in England). Northern Ireland is BT.
SCOTTISH_POSTCODE_AREAS = frozenset(
    {"AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"}
)
ENGLISH_DISTRICTS_IN_SCOTTISH_AREAS = frozenset({"TD15"})
_HOLIDAY_SUBDIVISION = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


def nation_for_postcode(postcode: str | None) -> Nation:
    """The nation whose bank holidays apply, from the postcode's area (its leading
    letters). England and Wales when the postcode is missing or not recognised."""
    outward = (postcode or "").strip().upper().split(" ")[0]
    area = "".join(itertools.takewhile(str.isalpha, outward))
    if area == "BT":
        return Nation.NORTHERN_IRELAND
    if area in SCOTTISH_POSTCODE_AREAS and outward not in ENGLISH_DISTRICTS_IN_SCOTTISH_AREAS:
        return Nation.SCOTLAND
    return Nation.ENGLAND_AND_WALES


@functools.lru_cache(maxsize=64)
def _bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    return frozenset(
        holidays.country_holidays("GB", subdiv=_HOLIDAY_SUBDIVISION[nation], years=year)
    )


def is_bank_holiday(day: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> bool:
    return day in _bank_holidays(Nation(nation), day.year)


def is_working_day(day: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> bool:
    """Monday to Friday, and not a bank holiday in the person's nation."""
    return day.weekday() < 5 and not is_bank_holiday(day, nation)


def add_working_days(start: date, days: int, nation: Nation = Nation.ENGLAND_AND_WALES) -> date:
    """``days`` working days after ``start``: weekends and the nation's bank holidays
    are skipped."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current, nation):
            left -= 1
    return current


def working_day_on_or_before(day: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> date:
    """When a payment is due: a payment due on a weekend or bank holiday is paid on the
    working day before, as UK benefit payments are."""
    while not is_working_day(day, nation):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date, nation: Nation = Nation.ENGLAND_AND_WALES) -> date:
    """When a reply is due: a deadline that falls on a weekend or bank holiday moves to
    the next working day, so the person never loses time to a day the agency is shut."""
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return day


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


def cared_for_gets_qualifying_benefit(household: Household, role: str) -> bool | None:
    """Does the person ``role`` ("claimant" or "partner") cares for get a qualifying benefit?

    When they care for their partner and the partner gets PIP daily living or Attendance
    Allowance in payment, yes, without asking. Otherwise the answer given (or None).
    """
    adult = household.claimant if role == "claimant" else (household.partner or Adult())
    other = (household.partner or Adult()) if role == "claimant" else household.claimant
    if adult.cares_for_partner and household.has_partner and other.gets_daily_living_award:
        return True
    return adult.cared_for_gets_qualifying_benefit


def need[T](value: T | None, missing: list[str], name: str) -> TypeIs[T]:
    """Record ``name`` as missing when ``value`` is None; True when the value is known.

    The value comes first so that a type checker narrows it: after ``if need(x, …)``
    ``x`` is known not to be None."""
    if value is None:
        missing.append(name)
        return False
    return True


def known[T](value: T | None) -> T:
    """A fact the rule has already made sure of: it asked for it (``need``) and returned
    while anything was missing, or it left out the people without it. None here is a bug in
    the rule, not the household's problem, so it fails loudly."""
    if value is None:
        raise ValueError("A fact the rule checked for is missing")
    return value


def more_information(
    benefit: str, missing: list[str], explanation: list[str] | None = None
) -> Result:
    return Result(
        benefit=benefit,
        verdict=Verdict.NEED_MORE_INFORMATION,
        missing=tuple(dict.fromkeys(missing)),
        explanation=tuple(explanation or ()),
    )
