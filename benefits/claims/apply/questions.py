"""The application's questions, per benefit, in sections.

Every application starts with "About you" and ends with the bank account to pay into;
between them come the benefit's own sections. A question may carry ``path``, the
household fact the rules read (``claimant.caring_hours``): it is prefilled from the
person's recorded circumstances or their screener answers, and read back by the rules
when the claim is assessed. ``when`` hides a question that does not apply given the
answers so far, so only relevant questions are asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from lib.forms import BIRTH, DUE_DATE, RECENT_PAST, DateRange

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def _renting(answers: dict[str, Any]) -> bool:
    return str(answers.get("housing", "")).startswith("rent")


def _nobody_else(value: Any) -> list | None:
    """No other adult: no deductions from the housing costs. Someone else: a caseworker
    asks who, as the rules cannot yet be told."""
    return [] if value is False else None


@dataclass(frozen=True)
class Question:
    slug: str
    kind: str  # yes_no choice date money count text phone address sort_code account_number nino
    title: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    maximum: int = 0
    path: str = ""
    when: Callable[[dict[str, Any]], bool] | None = None
    # How the answer reads as the household fact at ``path``, when it is not the answer
    # itself (a choice of benefit → whether it qualifies); None means "not known".
    household: Callable[[Any], Any] | None = None
    # A date question's range and the words that name the date in its errors.
    dates: DateRange | None = None
    error_label: str = ""

    def applies(self, answers: dict[str, Any]) -> bool:
        return self.when is None or bool(self.when(answers))


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def relevant(self, answers: dict[str, Any]) -> list[Question]:
        return [q for q in self.questions if q.applies(answers)]

    def question(self, slug: str) -> Question | None:
        return next((q for q in self.questions if q.slug == slug), None)


def _yes(slug: str) -> Callable[[dict[str, Any]], bool]:
    return lambda answers: answers.get(slug) is True


def _is_nothing(value: Any) -> bool:
    try:
        return value is not None and Decimal(str(value)) == 0
    except ArithmeticError:
        return False


def _nothing(slug: str) -> Callable[[dict[str, Any]], bool]:
    """Only when ``slug`` was answered 0 (no State Pension yet: the rules estimate it from
    the National Insurance record instead)."""
    return lambda answers: _is_nothing(answers.get(slug))


def _partner_and_nothing(slug: str) -> Callable[[dict[str, Any]], bool]:
    return lambda answers: answers.get("has_partner") is True and _is_nothing(answers.get(slug))


# The hours of care a week that Carer's Allowance asks for (benefit-rates.md §3, rate
# ``ca.min_hours``): fewer, and nothing more about caring matters to the rules.
CARERS_MIN_HOURS = 35


def _cares(answers: dict[str, Any]) -> bool:
    hours = answers.get("caring_hours")
    return isinstance(hours, int) and hours >= CARERS_MIN_HOURS


ABOUT_YOU = Section(
    "about-you",
    _("About you"),
    (
        Question("full_name", "text", _("What is your full name?"), _("As it appears on official documents.")),
        Question("date_of_birth", "date", _("What is your date of birth?"), _("For example, 27 3 1985"), path="claimant.date_of_birth", dates=BIRTH, error_label=_("Your date of birth")),
        Question("ni_number", "nino", _("What is your National Insurance number?"), _("It’s on your National Insurance card, payslip or P60. For example, AB 12 34 56 C.")),
        Question("address", "address", _("What is your address?")),
        Question("phone", "phone", _("What phone number can we call you on?"), _("We only call if we need to ask about your application.")),
    ),
)  # fmt: skip

PARTNER = Question(
    "has_partner", "yes_no", _("Do you live with a partner?"),
    _("A husband, wife, civil partner or someone you live with as a couple."), path="has_partner",
)  # fmt: skip

BANK = Section(
    "bank-account",
    _("Bank account"),
    (
        Question("account_name", "text", _("What is the name on the account?")),
        Question("sort_code", "sort_code", _("What is the sort code?"), _("Must be 6 digits long, like 30 94 98")),
        Question("account_number", "account_number", _("What is the account number?"), _("Must be between 6 and 8 digits long")),
    ),
)  # fmt: skip

HOUSING = (
    ("rent_social", _("I rent from a council or housing association")),
    ("rent_private", _("I rent from a private landlord")),
    ("mortgage", _("I own my home or have a mortgage")),
    ("none", _("Something else, like living with family")),
)
CARED_FOR_BENEFIT = (
    ("pip_daily_living", _("Personal Independence Payment (daily living part)")),
    ("dla_care", _("Disability Living Allowance (middle or highest care rate)")),
    ("attendance_allowance", _("Attendance Allowance")),
    ("other", _("Another benefit")),
    ("none", _("None of these, or I do not know")),
)
CARE_NEED = (
    ("day_and_night", _("Help during the day and the night")),
    ("day_or_night", _("Help during the day or the night")),
    ("none", _("I do not need help with personal care")),
)

QUALIFYING_FOR_CARERS = {"pip_daily_living", "dla_care", "attendance_allowance"}


def qualifying_benefit(answer: str) -> bool | None:
    """Whether the cared-for person's benefit qualifies for Carer's Allowance; "another
    benefit" may (Armed Forces Independence Payment, for one): a caseworker checks."""
    if answer in QUALIFYING_FOR_CARERS:
        return True
    return False if answer == "none" else None


BENEFIT_SECTIONS: dict[str, tuple[Section, ...]] = {
    "universal_credit": (
        Section("household", _("Your household"), (
            PARTNER,
            Question("partner_name", "text", _("What is your partner’s full name?"), when=_yes("has_partner")),
            Question("children_count", "count", _("How many children live with you?"), _("Children under 16, or under 20 and in approved education. Enter 0 if none."), maximum=20),
        )),
        Section("housing", _("Where you live"), (
            Question("housing", "choice", _("Which of these describes where you live?"), choices=HOUSING, path="housing"),
            Question("monthly_rent", "money", _("How much rent do you pay a month?"), _("Include service charges you have to pay."), path="monthly_rent", when=_renting),
            Question("others_18_or_over", "yes_no", _("Does anyone aged 18 or over live with you, apart from your partner?"), _("For example a grown-up son or daughter, a parent, a friend or a lodger."), path="non_dependants", household=_nobody_else, when=_renting),
        )),
        Section("money", _("Work, money and savings"), (
            Question("monthly_earnings", "money", _("How much do you earn a month after tax?"), _("Enter 0 if you do not work."), path="claimant.monthly_earnings"),
            Question("partner_monthly_earnings", "money", _("How much does your partner earn a month after tax?"), _("Enter 0 if your partner does not work."), path="partner.monthly_earnings", when=_yes("has_partner")),
            Question("capital", "money", _("How much do you have in savings and investments?"), _("Include money in bank accounts, but not the home you live in."), path="capital"),
        )),
        Section("health", _("Your health"), (
            Question("health_stops_work", "yes_no", _("Do you have a health condition or disability that stops you working?"), path="claimant.lcwra"),
            Question("caring_hours", "count", _("How many hours a week do you care for someone who is ill or disabled?"), _("Enter 0 if you do not care for anyone."), maximum=168, path="claimant.caring_hours"),
        )),
    ),
    "carers_allowance": (
        Section("cared-for", _("The person you care for"), (
            Question("cared_for_name", "text", _("What is the full name of the person you care for?")),
            Question("cared_for_relationship", "text", _("What is their relationship to you?"), _("For example, mother, partner or friend.")),
            Question("cared_for_benefit", "choice", _("Which of these benefits does the person you care for get?"), choices=CARED_FOR_BENEFIT, path="claimant.cared_for_gets_qualifying_benefit", household=qualifying_benefit),
            Question("caring_hours", "count", _("How many hours a week do you spend caring for them?"), _("Include time helping with personal care, medication and supervision."), maximum=168, path="claimant.caring_hours"),
        )),
        Section("work-and-study", _("Your work and study"), (
            Question("weekly_earnings", "money", _("How much do you earn a week after tax and expenses?"), _("Enter 0 if you do not work."), path="claimant.weekly_earnings_for_carers"),
            Question("full_time_education", "yes_no", _("Are you in full-time education?"), _("21 hours or more a week of supervised study."), path="claimant.in_full_time_education"),
        )),
    ),
    "pension_credit": (
        Section("household", _("Your household"), (PARTNER,)),
        Section("money", _("Income and savings"), (
            Question("weekly_state_pension", "money", _("How much State Pension do you get a week?"), _("Enter 0 if you do not get it yet."), path="claimant.weekly_state_pension"),
            Question("ni_qualifying_years", "count", _("How many qualifying years of National Insurance do you have?"), _("Your State Pension forecast on GOV.UK shows them."), maximum=60, path="claimant.ni_qualifying_years", when=_nothing("weekly_state_pension")),
            Question("weekly_pension_income", "money", _("How much do you get a week from other pensions?"), _("Work or private pensions. Do not include your State Pension. Enter 0 if none."), path="claimant.weekly_pension_income"),
            Question("monthly_earnings", "money", _("How much do you earn a month after tax?"), _("Enter 0 if you do not work."), path="claimant.monthly_earnings"),
            # Only with a partner: a couple's income counts together.
            Question("partner_weekly_state_pension", "money", _("How much State Pension does your partner get a week?"), _("Enter 0 if they do not get it yet."), path="partner.weekly_state_pension", when=_yes("has_partner")),
            Question("partner_ni_qualifying_years", "count", _("How many qualifying years of National Insurance does your partner have?"), _("Their State Pension forecast on GOV.UK shows them."), maximum=60, path="partner.ni_qualifying_years", when=_partner_and_nothing("partner_weekly_state_pension")),
            Question("partner_weekly_pension_income", "money", _("How much does your partner get a week from other pensions?"), _("Work or private pensions. Do not include their State Pension. Enter 0 if none."), path="partner.weekly_pension_income", when=_yes("has_partner")),
            Question("partner_monthly_earnings", "money", _("How much does your partner earn a month after tax?"), _("Enter 0 if your partner does not work."), path="partner.monthly_earnings", when=_yes("has_partner")),
            Question("partner_carers_allowance", "yes_no", _("Does your partner get Carer’s Allowance?"), path="partner.gets_carers_allowance", when=_yes("has_partner")),
            Question("capital", "money", _("How much do you have in savings and investments?"), _("Include money in bank accounts, but not the home you live in."), path="capital"),
        )),
        Section("caring", _("Caring for someone"), (
            Question("caring_hours", "count", _("How many hours a week do you care for someone who is ill or disabled?"), _("Enter 0 if you do not care for anyone."), maximum=168, path="claimant.caring_hours"),
            Question("cared_for_benefit", "choice", _("Which of these benefits does the person you care for get?"), choices=CARED_FOR_BENEFIT, path="claimant.cared_for_gets_qualifying_benefit", household=qualifying_benefit, when=_cares),
            Question("weekly_earnings", "money", _("How much do you earn a week after tax and expenses?"), _("Enter 0 if you do not work."), path="claimant.weekly_earnings_for_carers", when=_cares),
            Question("full_time_education", "yes_no", _("Are you in full-time education?"), _("21 hours or more a week of supervised study."), path="claimant.in_full_time_education", when=_cares),
        )),
        Section("housing", _("Where you live"), (
            Question("housing", "choice", _("Which of these describes where you live?"), choices=HOUSING, path="housing"),
        )),
    ),
    "jsa": (
        Section("work-history", _("Your work history"), (
            Question("last_employer", "text", _("Who was your last employer?")),
            Question("work_ended_on", "date", _("When did that job end?"), _("For example, 27 3 2026"), dates=RECENT_PAST, error_label=_("The date the job ended")),
            Question("paid_ni", "yes_no", _("Have you worked and paid National Insurance in the last 2 full tax years?"), path="claimant.paid_class1_ni_last_2_years"),
        )),
        Section("availability", _("Looking for work"), (
            Question("available_for_work", "yes_no", _("Are you able to start work straight away?"), path="claimant.available_for_work"),
            Question("weekly_hours_worked", "count", _("How many hours a week do you work now?"), _("Enter 0 if you do not work."), maximum=168, path="claimant.weekly_hours_worked"),
            Question("illness_prevents_work", "yes_no", _("Does an illness or disability stop you from working?"), path="claimant.illness_prevents_work"),
            Question("full_time_education", "yes_no", _("Are you in full-time education?"), _("21 hours or more a week of supervised study."), path="claimant.in_full_time_education"),
        )),
    ),
    "attendance_allowance": (
        Section("care-needs", _("Your care needs"), (
            Question("care_need", "choice", _("How much help do you need with personal care?"), _("Washing, dressing, eating, going to the toilet, or someone keeping an eye on you."), choices=CARE_NEED, path="claimant.care_need"),
            Question("long_term", "yes_no", _("Have you needed this help for at least 6 months?"), path="claimant.condition_long_term"),
            Question("terminally_ill", "yes_no", _("Has a doctor or nurse said you may have less than 12 months to live?"), path="claimant.terminally_ill"),
        )),
        Section("doctor", _("Your doctor"), (
            Question("gp_name", "text", _("What is the name of your GP or consultant?")),
            Question("gp_practice", "address", _("What is the address of their surgery or hospital?")),
        )),
    ),
    "pip": (
        Section("condition", _("Your condition"), (
            Question("conditions", "textarea", _("What health conditions or disabilities do you have?"), _("List each one, and roughly when it started.")),
            Question("care_need", "choice", _("How much help do you need with everyday tasks?"), _("Preparing food, washing, dressing, managing medicines or money."), choices=CARE_NEED, path="claimant.care_need"),
            Question("mobility_need", "yes_no", _("Do you find it hard to plan a journey or to walk?"), path="claimant.mobility_need"),
            Question("long_term", "yes_no", _("Have you had these difficulties for 3 months and expect them to last 9 more?"), path="claimant.condition_long_term"),
            Question("terminally_ill", "yes_no", _("Has a doctor or nurse said you may have less than 12 months to live?"), path="claimant.terminally_ill"),
        )),
        Section("doctor", _("Your doctor"), (
            Question("gp_name", "text", _("What is the name of your GP or consultant?")),
            Question("gp_practice", "address", _("What is the address of their surgery or hospital?")),
        )),
    ),
    "maternity_allowance": (
        Section("pregnancy", _("Your pregnancy"), (
            Question("baby_due_date", "date", _("When is your baby due, or when was your baby born?"), _("For example, 14 3 2027"), path="claimant.baby_due_date", dates=DUE_DATE, error_label=_("The date")),
        )),
        Section("work", _("Your work"), (
            Question("worked_26_weeks", "yes_no", _("Have you worked for at least 26 weeks in the 66 weeks before your baby is due?"), path="claimant.worked_26_of_66_weeks"),
            Question("average_weekly_earnings", "money", _("What are your average earnings a week before tax?"), _("Over any 13 weeks in those 66 weeks."), path="claimant.average_weekly_earnings"),
            Question("smp", "yes_no", _("Can you get Statutory Maternity Pay from your employer?"), path="claimant.entitled_to_smp"),
        )),
    ),
    "bereavement_support": (
        Section("person-who-died", _("The person who died"), (
            Question("deceased_name", "text", _("What was their full name?")),
            Question("partner_died_on", "date", _("When did they die?"), _("For example, 2 8 2026"), path="bereavement.partner_died_on", dates=RECENT_PAST, error_label=_("The date they died")),
            Question("married", "yes_no", _("Were you married to them or in a civil partnership?"), path="bereavement.was_married_or_civil_partners"),
            Question("paid_ni", "yes_no", _("Did they pay National Insurance for at least 25 weeks, or die because of an accident at work or a disease caused by work?"), path="bereavement.partner_paid_ni_or_industrial_cause"),
        )),
    ),
}  # fmt: skip


def sections_for(benefit_code: str) -> tuple[Section, ...]:
    return (ABOUT_YOU, *BENEFIT_SECTIONS.get(benefit_code, ()), BANK)


def section_for(benefit_code: str, slug: str) -> Section | None:
    return next((s for s in sections_for(benefit_code) if s.slug == slug), None)


def all_questions(benefit_code: str) -> list[Question]:
    return [q for section in sections_for(benefit_code) for q in section.questions]
