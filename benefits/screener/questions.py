"""The screener's questions, one per fact the rules can ask for.

The screener never decides what to ask by itself: it assesses the answers so far, takes
the first fact any rule reports missing, and asks the question for that fact. Each fact
name (``claimant.date_of_birth``, ``children.1.disability``) maps to one question here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import (
    BIRTH,
    DUE_DATE,
    RECENT_PAST,
    DateField,
    DateRange,
    count_field,
    from_today,
    money_field,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
ORDINALS = [_("first"), _("second"), _("third"), _("fourth"), _("fifth"), _("sixth"),
            _("seventh"), _("eighth"), _("ninth"), _("tenth")]  # fmt: skip


@dataclass(frozen=True)
class Question:
    kind: str  # yes_no, date, money, count, choice
    title: str
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    maximum: int = 0
    # A date question's range and the words that name the date in its errors.
    dates: DateRange | None = None
    error_label: str = ""


# Children are counted until they turn 20 (on the assessment date, today): an older date
# of birth is a mistake here.
UNDER_20 = DateRange(
    earliest=from_today(years=-20, days=1),
    latest=from_today(),
    too_early=_(
        "Children must be under 20. Check the date, or change how many children you are responsible for."
    ),
)


# Whole sentences for each person, so every question translates as written.
ADULT_QUESTIONS = {
    **{
        (role, "adjusted_net_income"): Question(
            "money",
            title,
            _(
                "Before tax: pay, pensions, taxable benefits and other income, less pension contributions and Gift Aid. We use it only to work out the High Income Child Benefit Charge."
            ),
        )
        for role, title in (
            ("claimant", _("What was your income in the last tax year?")),
            ("partner", _("What was your partner's income in the last tax year?")),
        )
    },
    **{
        (role, "registered_blind"): Question(
            "yes_no", title, _("Certified by a consultant ophthalmologist.")
        )
        for role, title in (
            ("claimant", _("Are you registered blind or severely sight impaired?")),
            ("partner", _("Is your partner registered blind or severely sight impaired?")),
        )
    },
    **{
        (role, "pip_daily_living"): Question(
            "choice",
            title,
            choices=(
                ("none", _("No")),
                ("standard", _("Yes, the standard rate")),
                ("enhanced", _("Yes, the enhanced rate")),
            ),
        )
        for role, title in (
            ("claimant", _("Do you get the daily living part of Personal Independence Payment?")),
            (
                "partner",
                _("Does your partner get the daily living part of Personal Independence Payment?"),
            ),
        )
    },
    **{
        (role, "attendance_allowance"): Question(
            "choice",
            title,
            choices=(
                ("none", _("No")),
                ("lower", _("Yes, the lower rate")),
                ("higher", _("Yes, the higher rate")),
            ),
        )
        for role, title in (
            ("claimant", _("Do you get Attendance Allowance?")),
            ("partner", _("Does your partner get Attendance Allowance?")),
        )
    },
    ("claimant", "date_of_birth"): Question(
        "date",
        _("What is your date of birth?"),
        _("For example, 27 3 1985"),
        dates=BIRTH,
        error_label=_("Your date of birth"),
    ),
    ("partner", "date_of_birth"): Question(
        "date",
        _("What is your partner's date of birth?"),
        _("For example, 27 3 1985"),
        dates=BIRTH,
        error_label=_("Your partner's date of birth"),
    ),
    ("claimant", "monthly_earnings"): Question(
        "money",
        _("How much do you earn a month after tax?"),
        _("After tax, National Insurance and pension contributions. Enter 0 if you do not work."),
    ),
    ("partner", "monthly_earnings"): Question(
        "money",
        _("How much does your partner earn a month after tax?"),
        _(
            "After tax, National Insurance and pension contributions. Enter 0 if your partner does not work."
        ),
    ),
    ("claimant", "weekly_hours_worked"): Question(
        "count",
        _("How many hours a week do you work?"),
        _("Enter 0 if you do not work."),
        maximum=168,
    ),
    ("partner", "weekly_hours_worked"): Question(
        "count",
        _("How many hours a week does your partner work?"),
        _("Enter 0 if your partner does not work."),
        maximum=168,
    ),
    ("claimant", "weekly_pension_income"): Question(
        "money",
        _("How much do you get each week from pensions other than the State Pension?"),
        _("Workplace or personal pensions. Enter 0 if none."),
    ),
    ("partner", "weekly_pension_income"): Question(
        "money",
        _("How much does your partner get each week from pensions other than the State Pension?"),
        _("Workplace or personal pensions. Enter 0 if none."),
    ),
    ("claimant", "lcwra"): Question(
        "yes_no",
        _(
            "Has a Work Capability Assessment found that you have limited capability for work and work-related activity?"
        ),
        _("This is sometimes called LCWRA. Answer no if you have not had an assessment."),
    ),
    ("partner", "lcwra"): Question(
        "yes_no",
        _(
            "Has a Work Capability Assessment found that your partner has limited capability for work and work-related activity?"
        ),
        _("This is sometimes called LCWRA. Answer no if your partner has not had an assessment."),
    ),
    ("claimant", "lcwra_claim_before_2026"): Question(
        "yes_no",
        _("Did your Universal Credit claim with this health element start before 6 April 2026?"),
    ),
    ("partner", "lcwra_claim_before_2026"): Question(
        "yes_no",
        _(
            "Did your partner's Universal Credit claim with this health element start before 6 April 2026?"
        ),
    ),
    ("claimant", "severe_conditions_or_terminal"): Question(
        "yes_no", _("Do you meet the severe conditions criteria, or are you terminally ill?")
    ),
    ("partner", "severe_conditions_or_terminal"): Question(
        "yes_no",
        _(
            "Does your partner meet the severe conditions criteria, or is your partner terminally ill?"
        ),
    ),
    ("claimant", "care_need"): Question(
        "choice",
        _(
            "Do you need help with personal care or supervision because of an illness or disability?"
        ),
        _(
            "For example washing, dressing, eating, taking medicine, or someone keeping an eye on you."
        ),
        choices=(
            ("none", _("No")),
            ("day_or_night", _("Yes, during the day or at night")),
            ("day_and_night", _("Yes, during the day and at night")),
        ),
    ),
    ("partner", "care_need"): Question(
        "choice",
        _(
            "Does your partner need help with personal care or supervision because of an illness or disability?"
        ),
        _(
            "For example washing, dressing, eating, taking medicine, or someone keeping an eye on your partner."
        ),
        choices=(
            ("none", _("No")),
            ("day_or_night", _("Yes, during the day or at night")),
            ("day_and_night", _("Yes, during the day and at night")),
        ),
    ),
    ("claimant", "mobility_need"): Question(
        "yes_no",
        _("Do you have difficulty getting around because of a condition?"),
        _("Planning and following a journey, or moving around."),
    ),
    ("partner", "mobility_need"): Question(
        "yes_no",
        _("Does your partner have difficulty getting around because of a condition?"),
        _("Planning and following a journey, or moving around."),
    ),
    ("claimant", "condition_long_term"): Question(
        "yes_no",
        _("Has this lasted, or will it last, a long time?"),
        _(
            "For example, 3 months so far and expected to last at least 9 more, or 6 months already."
        ),
    ),
    ("partner", "condition_long_term"): Question(
        "yes_no",
        _("Has this lasted, or will it last, a long time?"),
        _(
            "For example, 3 months so far and expected to last at least 9 more, or 6 months already."
        ),
    ),
    ("claimant", "terminally_ill"): Question(
        "yes_no",
        _("Are you terminally ill?"),
        _("A doctor or nurse has said you may have 12 months or less to live."),
    ),
    ("partner", "terminally_ill"): Question(
        "yes_no",
        _("Is your partner terminally ill?"),
        _("A doctor or nurse has said your partner may have 12 months or less to live."),
    ),
    ("claimant", "caring_hours"): Question(
        "count",
        _("How many hours a week do you spend caring for someone?"),
        _("Someone who is ill, disabled or elderly. Enter 0 if none."),
        maximum=168,
    ),
    ("partner", "caring_hours"): Question(
        "count",
        _("How many hours a week does your partner spend caring for someone?"),
        _("Someone who is ill, disabled or elderly. Enter 0 if none."),
        maximum=168,
    ),
    ("claimant", "cared_for_gets_qualifying_benefit"): Question(
        "yes_no",
        _("Does the person you care for get a disability benefit?"),
        _(
            "PIP daily living, DLA care at the middle or highest rate, Attendance Allowance, Constant Attendance Allowance or Armed Forces Independence Payment."
        ),
    ),
    ("partner", "cared_for_gets_qualifying_benefit"): Question(
        "yes_no",
        _("Does the person your partner cares for get a disability benefit?"),
        _(
            "PIP daily living, DLA care at the middle or highest rate, Attendance Allowance, Constant Attendance Allowance or Armed Forces Independence Payment."
        ),
    ),
    ("claimant", "weekly_earnings_for_carers"): Question(
        "money",
        _("How much do you earn a week after tax?"),
        _("After tax, National Insurance and half of any pension contributions. Enter 0 if none."),
    ),
    ("partner", "weekly_earnings_for_carers"): Question(
        "money",
        _("How much does your partner earn a week after tax?"),
        _("After tax, National Insurance and half of any pension contributions. Enter 0 if none."),
    ),
    ("claimant", "in_full_time_education"): Question(
        "yes_no", _("Are you in full-time education?"), _("21 hours or more of study a week.")
    ),
    ("partner", "in_full_time_education"): Question(
        "yes_no",
        _("Is your partner in full-time education?"),
        _("21 hours or more of study a week."),
    ),
    ("claimant", "paid_class1_ni_last_2_years"): Question(
        "yes_no",
        _("Have you worked as an employee and paid National Insurance in the last 2 years?"),
    ),
    ("partner", "paid_class1_ni_last_2_years"): Question(
        "yes_no",
        _(
            "Has your partner worked as an employee and paid National Insurance in the last 2 years?"
        ),
    ),
    ("claimant", "available_for_work"): Question(
        "yes_no", _("Are you available for work and looking for a job?")
    ),
    ("partner", "available_for_work"): Question(
        "yes_no", _("Is your partner available for work and looking for a job?")
    ),
    ("claimant", "illness_prevents_work"): Question(
        "yes_no", _("Does an illness or disability stop you working?")
    ),
    ("partner", "illness_prevents_work"): Question(
        "yes_no", _("Does an illness or disability stop your partner working?")
    ),
    ("claimant", "ni_qualifying_years"): Question(
        "count",
        _("How many qualifying years of National Insurance do you have?"),
        _("Your State Pension forecast shows this. A rough number is fine."),
        maximum=60,
    ),
    ("partner", "ni_qualifying_years"): Question(
        "count",
        _("How many qualifying years of National Insurance does your partner have?"),
        _("Your State Pension forecast shows this. A rough number is fine."),
        maximum=60,
    ),
    ("claimant", "pregnant"): Question(
        "yes_no", _("Are you pregnant, or have you had a baby in the last 39 weeks?")
    ),
    ("partner", "pregnant"): Question(
        "yes_no",
        _("Is your partner pregnant, or have they had a baby in the last 39 weeks?"),
    ),
    ("claimant", "baby_due_date"): Question(
        "date",
        _("When is the baby due?"),
        _("For example, 20 3 2027"),
        dates=DUE_DATE,
        error_label=_("The due date"),
    ),
    ("partner", "baby_due_date"): Question(
        "date",
        _("When is the baby due?"),
        _("For example, 20 3 2027"),
        dates=DUE_DATE,
        error_label=_("The due date"),
    ),
    ("claimant", "worked_26_of_66_weeks"): Question(
        "yes_no",
        _("Have you worked for at least 26 of the 66 weeks before the week the baby is due?"),
        _("Employed or self-employed. The weeks do not need to be in a row."),
    ),
    ("partner", "worked_26_of_66_weeks"): Question(
        "yes_no",
        _(
            "Has your partner worked for at least 26 of the 66 weeks before the week the baby is due?"
        ),
        _("Employed or self-employed. The weeks do not need to be in a row."),
    ),
    ("claimant", "earned_30_a_week_in_13_weeks"): Question(
        "yes_no", _("Did you earn at least £30 a week in any 13 of those weeks?")
    ),
    ("partner", "earned_30_a_week_in_13_weeks"): Question(
        "yes_no", _("Did your partner earn at least £30 a week in any 13 of those weeks?")
    ),
    ("claimant", "entitled_to_smp"): Question(
        "yes_no", _("Can you get Statutory Maternity Pay from an employer?")
    ),
    ("partner", "entitled_to_smp"): Question(
        "yes_no", _("Can your partner get Statutory Maternity Pay from an employer?")
    ),
    ("claimant", "average_weekly_earnings"): Question(
        "money", _("What are your average weekly earnings before tax?")
    ),
    ("partner", "average_weekly_earnings"): Question(
        "money", _("What are your partner's average weekly earnings before tax?")
    ),
}
HOUSEHOLD_QUESTIONS = {
    "has_partner": Question(
        "yes_no",
        _("Do you live with a partner?"),
        _("A husband, wife or civil partner, or someone you live with as a couple."),
    ),
    "capital": Question(
        "money",
        _("How much do you have in savings, investments and property?"),
        _("Include your partner's. Do not count the home you live in."),
    ),
    "children": Question(
        "count",
        _("How many children are you responsible for?"),
        _("Children under 20 who live with you. Enter 0 if none."),
        maximum=20,
    ),
    "housing": Question(
        "choice",
        _("Do you pay rent or a mortgage?"),
        choices=(
            ("rent_social", _("I rent from a council or housing association")),
            ("rent_private", _("I rent from a private landlord")),
            ("mortgage", _("I have a mortgage")),
            ("none", _("None of these")),
        ),
    ),
    "bereavement": Question(
        "yes_no", _("Has your husband, wife or civil partner died in the last 21 months?")
    ),
    "bereavement.partner_died_on": Question(
        "date", _("When did they die?"), dates=RECENT_PAST, error_label=_("The date they died")
    ),
    "bereavement.was_married_or_civil_partners": Question(
        "yes_no", _("Were you married, in a civil partnership, or living together with children?")
    ),
    "bereavement.partner_paid_ni_or_industrial_cause": Question(
        "yes_no",
        _(
            "Did they pay National Insurance, or die because of an accident at work or an industrial disease?"
        ),
    ),
    "lives_in_great_britain": Question("yes_no", _("Do you live in England, Scotland or Wales?")),
    # Help with housing costs: asked when the rent is known and the rules need these.
    "monthly_rent": Question(
        "money",
        _("How much rent do you pay a month?"),
        _("Include service charges you have to pay."),
    ),
    "bedrooms": Question("count", _("How many bedrooms does your home have?"), maximum=20),
    "needs_overnight_carer": Question(
        "yes_no",
        _("Does someone in your household need a carer to stay overnight?"),
        _("A carer who does not live with you but stays regularly to provide care."),
    ),
}
CHILD_QUESTIONS = {
    "date_of_birth": Question(
        "date",
        _("What is your {ordinal} child's date of birth?"),
        _("Start with the eldest. For example, 4 11 2019"),
        dates=UNDER_20,
        error_label=_("Your {ordinal} child's date of birth"),
    ),
    "in_approved_education": Question(
        "yes_no",
        _("Is your {ordinal} child in approved education or training?"),
        _("For example, full-time school or college, but not university."),
    ),
    "disability": Question(
        "choice",
        _("Does your {ordinal} child get a disability benefit?"),
        choices=(
            ("none", _("No")),
            (
                "lower",
                _("Yes: DLA care at the lowest or middle rate, or PIP daily living standard rate"),
            ),
            (
                "higher",
                _(
                    "Yes: DLA care at the highest rate, PIP daily living enhanced rate, or they are blind"
                ),
            ),
        ),
    ),
    "sex": Question(
        "choice",
        _("Is your {ordinal} child a girl or a boy?"),
        _("Two children of the same sex under 16 are expected to share a bedroom."),
        choices=(("female", _("A girl")), ("male", _("A boy"))),
    ),
    "two_child_limit_exception": Question(
        "yes_no",
        _(
            "Was your {ordinal} child part of a multiple birth, adopted, or in your care as a relative?"
        ),
        _("Some children are exceptions to the two-child limit."),
    ),
}

# ASCII and the whole name: one URL per question ("capital\n" or a child "٠" are not one).
FACT = re.compile(r"(?:(claimant|partner)\.(\w+)|children\.(\d+)\.(\w+)|(\w+(?:\.\w+)?))", re.ASCII)


def question_for(fact: str) -> tuple[Question, dict[str, str]] | None:
    """The question for a fact name and the words to fill in, or None if unknown."""
    match = FACT.fullmatch(fact)
    if not match:
        return None
    role, adult_field, child_index, child_field, household_field = match.groups()
    if role:
        question = ADULT_QUESTIONS.get((role, adult_field))
        return (question, {}) if question else None
    if child_field:
        question = CHILD_QUESTIONS.get(child_field)
        index = int(child_index)
        ordinal = str(ORDINALS[index]) if index < len(ORDINALS) else f"#{index + 1}"
        return (question, {"ordinal": ordinal}) if question else None
    question = HOUSEHOLD_QUESTIONS.get(household_field)
    return (question, {}) if question else None


def words(text: str, fill: dict[str, str]) -> str:
    out = str(text)
    for key, value in fill.items():
        out = out.replace("{" + key + "}", value)
    return out[:1].upper() + out[1:] if out else out


def form_for(question: Question, fill: dict[str, str], data=None, initial=None) -> forms.Form:
    label, hint = words(question.title, fill), words(question.hint, fill)
    if question.kind == "yes_no":
        field = forms.ChoiceField(
            label=label,
            help_text=hint,
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={"required": _("Select yes or no")},
        )
    elif question.kind == "choice":
        field = forms.ChoiceField(
            label=label,
            help_text=hint,
            choices=question.choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Select an answer")},
        )
    elif question.kind == "date":
        if question.dates is None:
            raise ValueError(f"the date question {question.title!r} declares no range")
        field = DateField(
            label=label,
            help_text=hint,
            dates=question.dates,
            error_label=words(question.error_label or _("The date"), fill),
        )
    elif question.kind == "money":
        field = money_field(label=label, help_text=hint)
    else:  # count
        field = count_field(label=label, help_text=hint, maximum=question.maximum)
    if question.kind in ("yes_no", "choice", "date"):
        field.widget.attrs["page_heading"] = True  # the legend is the page's h1
    form = forms.Form(data=data, initial={"answer": initial} if initial is not None else None)
    form.fields["answer"] = field
    return form


def to_json(question: Question, value):
    """A cleaned answer as the household JSON stores it."""
    if question.kind == "yes_no":
        return value == "yes"
    if question.kind == "date":
        return value.isoformat()
    if question.kind == "money":
        return float(value)
    return value


def from_json(question: Question, value):
    """A stored answer as the form shows it again."""
    if value is None:
        return None
    if question.kind == "yes_no":
        return "yes" if value else "no"
    if question.kind == "date":
        from datetime import date

        return date.fromisoformat(value)
    return value
