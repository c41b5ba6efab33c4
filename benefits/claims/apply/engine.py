"""The application's logic, without views: forms, prefill, progress and what the rules read."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.masking import mask_account_number, mask_nino, mask_sort_code
from accounts.models import Customer, normalise_nino, validate_nino
from accounts.phone import validate_phone_number
from accounts.selectors import current_bank_account, household_on
from benefits import assessment as snapshot
from benefits.assessment import assess_household
from benefits.claims.apply.questions import YES_NO, Question, Section, all_questions, sections_for
from benefits.rules.base import gbp
from benefits.screener import state as screener_state

NOT_STARTED, IN_PROGRESS, COMPLETED = "not_started", "in_progress", "completed"

# Answers shown only by their last characters, never put back into a form, and changed
# (once the record holds them) only after the person gives their password again.
SENSITIVE_KINDS = {"nino", "sort_code", "account_number"}
# The draft's note of which answers came from the record ("We already have this").
KNOWN = "_known"

# --- What we already know ------------------------------------------------------------------


def known_answers(
    *, customer: Customer, benefit_code: str, screener_answers: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Answers we can fill in from the profile, recorded circumstances and the screener.

    Recorded facts win over screener answers (they are what the person confirmed); the
    person can change any of them before sending.
    """
    by_path: dict[str, Any] = {}
    for path in _screener_paths(benefit_code):
        value = screener_state.get_answer(screener_answers or {}, path)
        if value is not None:
            by_path[path] = value
    by_path.update(snapshot.known_paths(customer=customer, on=timezone.localdate()))
    if customer.date_of_birth:
        by_path["claimant.date_of_birth"] = customer.date_of_birth.isoformat()

    known: dict[str, Any] = {}
    profile = {
        "full_name": customer.full_name,
        "ni_number": customer.ni_number or "",
        "address": "\n".join(customer.address_lines),
        "phone": customer.phone,
    }
    if bank := current_bank_account(customer=customer):
        profile.update(
            account_name=bank.account_name,
            sort_code=bank.sort_code,
            account_number=bank.account_number,
        )
    children = (screener_answers or {}).get("children")
    if isinstance(children, list):
        profile["children_count"] = len(children)
    elif members := list(household_on(customer=customer, on=timezone.localdate())):
        profile["children_count"] = sum(m.relationship == "child" for m in members)
    for question in all_questions(benefit_code):
        if question.path and question.path in by_path and question.household is None:
            value = _coerce(question, by_path[question.path])
            if value is not None:
                known[question.slug] = value
        elif profile.get(question.slug) not in (None, ""):
            known[question.slug] = profile[question.slug]
    return known


def prefilled(known: dict[str, Any]) -> dict[str, Any]:
    """A new draft's answers: what we know, noting which answers came from the record."""
    return {**known, KNOWN: sorted(known)} if known else {}


def from_record(answers: dict[str, Any]) -> set[str]:
    """The answers filled in from the record that the person has not changed since."""
    return set(answers.get(KNOWN, []))


def answer_update(answers: dict[str, Any], slug: str, value: Any) -> dict[str, Any]:
    """What to save for one answer the person gave: a different value is theirs now, no
    longer "what we already have"."""
    update: dict[str, Any] = {slug: value}
    known = from_record(answers)
    if slug in known and answers.get(slug) != value:
        update[KNOWN] = sorted(known - {slug})
    return update


def record_holds(question: Question, *, customer: Customer) -> bool:
    """Whether the person's record already holds a sensitive answer, so that changing it
    is a change of their NI number or bank account (which needs their password again)."""
    if question.kind == "nino":
        return bool(customer.ni_number)
    if question.kind in ("sort_code", "account_number"):
        return current_bank_account(customer=customer) is not None
    return False


def _screener_paths(benefit_code: str) -> list[str]:
    return [q.path for q in all_questions(benefit_code) if q.path]


def _coerce(question: Question, value: Any) -> Any:
    """A stored fact in the form the question's answer takes, or None if it does not fit."""
    choices = {key for key, _label in question.choices}
    if question.kind == "yes_no":
        return value if isinstance(value, bool) else None
    if question.kind == "choice":
        return value if value in choices else None
    if question.kind in ("money",):
        try:
            return str(Decimal(str(value)).quantize(Decimal("0.01")))
        except ArithmeticError:
            return None
    if question.kind == "count":
        return int(value) if isinstance(value, int | float) else None
    if question.kind == "date":
        return value if isinstance(value, str) and _is_iso_date(value) else None
    return value


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


# --- Progress ---------------------------------------------------------------------------------


def section_state(section: Section, answers: dict[str, Any]) -> str:
    relevant = section.relevant(answers)
    answered = [q for q in relevant if q.slug in answers]
    if not answered:
        return NOT_STARTED
    return COMPLETED if len(answered) == len(relevant) else IN_PROGRESS


def first_unanswered(section: Section, answers: dict[str, Any]) -> Question | None:
    return next((q for q in section.relevant(answers) if q.slug not in answers), None)


def next_in_section(section: Section, answers: dict[str, Any], after: Question) -> Question | None:
    """The next unanswered relevant question after ``after``, then any earlier one."""
    relevant = section.relevant(answers)
    later = relevant[relevant.index(after) + 1 :] if after in relevant else relevant
    return next((q for q in later if q.slug not in answers), None) or first_unanswered(
        section, answers
    )


def all_complete(benefit_code: str, answers: dict[str, Any]) -> bool:
    return all(section_state(s, answers) == COMPLETED for s in sections_for(benefit_code))


def relevant_answers(benefit_code: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Only the answers to questions that apply: a partner's earnings go if there is none.
    The answers to what the rules still needed stay."""
    kept = {
        q.slug: answers[q.slug]
        for section in sections_for(benefit_code)
        for q in section.relevant(answers)
        if q.slug in answers
    }
    partner = answers.get("has_partner") is True
    more = {
        fact: value
        for fact, value in (answers.get(MORE_KEY) or {}).items()
        if partner or not fact.startswith("partner.")
    }
    if more:
        kept[MORE_KEY] = more
    return kept


def household_paths(benefit_code: str, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers the rules read, by household path, as the household JSON holds them."""
    out: dict[str, Any] = {}
    for question in all_questions(benefit_code):
        if question.path and question.slug in answers and question.applies(answers):
            value = answers[question.slug]
            if question.household is not None:
                value = question.household(value)
                if value is None:
                    continue
            elif question.kind == "money":
                value = str(Decimal(str(value)).quantize(Decimal("0.01")))
            out[question.path] = value
    # What the rules still needed, asked after the sections (see ``rules_still_need``).
    extra = answers.get(MORE_KEY)
    if isinstance(extra, dict):
        out.update(extra)
    return out


# The answers to the rules' own questions, by household path, kept in the draft's answers.
MORE_KEY = "_more"


def draft_household(claim, *, on: date | None = None):
    """The household a draft would be assessed on: the record, with its answers laid over."""
    on = on or timezone.localdate()
    return snapshot.household_for_customer(
        customer=claim.customer, on=on, overrides=household_paths(claim.benefit.code, claim.answers)
    )


def rules_still_need(claim, *, asks) -> list[str]:
    """The facts the rules still lack to work out this benefit for the draft, that have a
    question (``asks``) the sections do not ask: the application asks them before it is
    sent, so a caseworker is not left to work the amount out by hand."""
    on = timezone.localdate()
    result = next(
        r
        for r in assess_household(household=draft_household(claim, on=on), on=on).results
        if r.benefit == claim.benefit.code
    )
    asked = {q.path for q in all_questions(claim.benefit.code) if q.path}
    return [fact for fact in result.missing if fact not in asked and asks(fact)]


# --- Forms ---------------------------------------------------------------------------------------

SORT_CODE_RE = re.compile(r"^\d{6}$")
ACCOUNT_RE = re.compile(r"^\d{6,8}$")


class _Digits(forms.CharField):
    def __init__(self, *, pattern: re.Pattern, message: str, **kwargs) -> None:
        self.pattern, self.message = pattern, message
        # Too long is as wrong as too short: the same plain message, not Django's own.
        kwargs["error_messages"] = {**kwargs.get("error_messages", {}), "max_length": message}
        super().__init__(**kwargs)

    def clean(self, value):
        value = re.sub(r"[\s-]", "", super().clean(value) or "")
        if not self.pattern.match(value):
            raise ValidationError(self.message, code="invalid")
        return value


def form_for(question: Question, *, data=None, initial=None) -> forms.Form:
    """A one-question form whose field is ``answer``, with GOV.UK-style error messages."""
    from benefits.screener.questions import Question as ScreenerQuestion
    from benefits.screener.questions import form_for as screener_form_for

    if question.kind in ("yes_no", "choice", "date", "money", "count"):
        form = screener_form_for(
            ScreenerQuestion(
                kind=question.kind, title=question.title, hint=question.hint,
                choices=question.choices, maximum=question.maximum,
                dates=question.dates, error_label=question.error_label,
            ),
            {}, data=data, initial=initial,
        )  # fmt: skip
        return form
    text_messages = {"required": _("Enter your answer")}
    if question.kind in ("textarea", "address"):
        field = forms.CharField(
            label=question.title, help_text=question.hint, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4 if question.kind == "address" else 6}),
            error_messages={
                "required": _("Enter the address") if question.kind == "address" else _("Enter your answer"),
                "max_length": _("Your answer must be 2,000 characters or fewer"),
            },
        )  # fmt: skip
    elif question.kind == "nino":
        field = forms.CharField(
            label=question.title, help_text=question.hint, max_length=20,
            validators=[validate_nino],
            error_messages={"required": _("Enter your National Insurance number")},
            widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false", "autocomplete": "off"}),
        )  # fmt: skip
    elif question.kind == "sort_code":
        field = _Digits(
            label=question.title, help_text=question.hint, max_length=12,
            pattern=SORT_CODE_RE, message=_("Enter a valid sort code like 30 94 98"),
            error_messages={"required": _("Enter a sort code")},
            widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        )  # fmt: skip
    elif question.kind == "account_number":
        field = _Digits(
            label=question.title, help_text=question.hint, max_length=12,
            pattern=ACCOUNT_RE, message=_("Enter a valid account number like 00733445"),
            error_messages={"required": _("Enter an account number")},
            widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}),
        )  # fmt: skip
    elif question.kind == "phone":
        field = forms.CharField(
            label=question.title, help_text=question.hint, max_length=30,
            validators=[validate_phone_number],
            error_messages={"required": _("Enter a phone number")},
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}),
        )  # fmt: skip
    else:  # text
        field = forms.CharField(
            label=question.title, help_text=question.hint, max_length=200,
            error_messages={**text_messages, "max_length": _("Your answer must be 200 characters or fewer")},
        )  # fmt: skip
    form = forms.Form(data=data, initial={"answer": initial} if initial is not None else None)
    form.fields["answer"] = field
    return form


def to_json(question: Question, value: Any) -> Any:
    if question.kind == "yes_no":
        return value == "yes"
    if question.kind == "date":
        return value.isoformat()
    if question.kind == "money":
        return str(value.quantize(Decimal("0.01")))
    if question.kind == "nino":
        return normalise_nino(value)
    if isinstance(value, str):
        return value.strip()
    return value


def from_json(question: Question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == "yes_no":
        return "yes" if value else "no"
    if question.kind == "date":
        return date.fromisoformat(value)
    return value


def display(question: Question, value: Any) -> str:
    if value is None:
        return ""
    if question.kind == "yes_no":
        return str(dict(YES_NO)["yes" if value else "no"])
    if question.kind == "choice":
        return str(dict(question.choices).get(value, value))
    if question.kind == "date":
        return date_format(date.fromisoformat(value), "j F Y")
    if question.kind == "money":
        return gbp(Decimal(str(value)))
    # Sensitive numbers only ever by their ending, to the person and to caseworkers.
    if question.kind == "sort_code":
        return capfirst(mask_sort_code(value))
    if question.kind == "account_number":
        return capfirst(mask_account_number(value))
    if question.kind == "nino":
        return capfirst(mask_nino(value))
    return str(value)


STATE_LABELS = {
    NOT_STARTED: gettext_lazy("Not yet started"),
    IN_PROGRESS: gettext_lazy("In progress"),
    COMPLETED: gettext_lazy("Completed"),
}
