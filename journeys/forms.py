from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from journeys.models import GoalStep, JourneyStatus
from journeys.services import CHANGE_KINDS
from lib.forms import BIRTH, LIFE_EVENT, DateField, DateRange, count_field, from_today, money_field

# A change can be told up to three months ahead (a new job starting next month), and back
# to a year: older changes need a conversation, not a form.
CHANGE_DATES = DateRange(
    earliest=from_today(months=-12),
    latest=from_today(months=3),
    too_early=_("%(label)s must be within the last 12 months. Phone us about an older change."),
    too_late=_("%(label)s must be within the next 3 months"),
)
GOAL_DATES = DateRange(earliest=from_today(), latest=from_today(years=10))


def _check_date(value: date | None, born: date | None) -> date | None:
    if value is not None and born and value < born:
        raise ValidationError(_("The date must be after your date of birth"), code="before_birth")
    return value


class JourneyForm(forms.Form):
    """The event's date and its few questions, built from the life event's content."""

    def __init__(self, *args, event, born: date | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.born = born
        # The questions help the plan; none is required (what we know is filled in).
        self.fields["event_date"] = DateField(
            label=event.date_question, help_text=_("For example, 14 3 2027"),
            error_label=str(_("The date")), dates=LIFE_EVENT,
        )  # fmt: skip
        for q in event.questions:
            name = q["slug"]
            if q["kind"] == "yes_no":
                self.fields[name] = forms.ChoiceField(
                    label=q["text"], help_text=q.get("hint", ""), widget=forms.RadioSelect,
                    choices=[("yes", _("Yes")), ("no", _("No"))], required=False,
                )  # fmt: skip
            elif q["kind"] == "money":
                self.fields[name] = money_field(
                    label=q["text"], help_text=q.get("hint", ""), required=False
                )
            else:
                self.fields[name] = count_field(
                    label=q["text"], help_text=q.get("hint", ""), maximum=168, required=False
                )
        self.questions = event.questions

    def clean_event_date(self):
        return _check_date(self.cleaned_data.get("event_date"), self.born)

    def household_answers(self) -> dict:
        out = {}
        for q in self.questions:
            value = self.cleaned_data.get(q["slug"])
            if not q.get("path") or value is None or value == "":
                continue
            if q["kind"] == "yes_no":
                value = value == "yes"
            elif q["kind"] == "money":
                value = str(value)  # a Decimal, kept exact as a string in the JSON
            out[q["path"]] = value
        return out


class ChangeKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What has changed?"), choices=list(CHANGE_KINDS.items()), widget=forms.RadioSelect,
        error_messages={"required": _("Select what has changed")},
    )  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["page_heading"] = True


class ChangeForm(forms.Form):
    """The date a change happened and what it is, for one kind of change."""

    happened_on = DateField(label=_("When did it happen?"), help_text=_("For example, 14 3 2026"),
                            error_label=str(_("The date")), dates=CHANGE_DATES)  # fmt: skip
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    FIELDS = {
        "earnings": (
            "monthly_earnings",
            _("How much do you earn a month now, after tax?"),
            "money",
        ),
        "savings": ("capital", _("How much do you have in savings now?"), "money"),
        "caring": (
            "caring_hours",
            _("How many hours a week do you care for someone now?"),
            "count",
        ),
        "health": ("lcwra", _("Does your health stop you working now?"), "yes_no"),
        "partner_in": (
            "partner_monthly_earnings",
            _("How much does your partner earn a month after tax?"),
            "money",
        ),
        "baby": ("name", _("What is the baby's name? (optional)"), "text"),
    }

    def __init__(self, *args, kind: str, born: date | None, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.born = kind, born
        spec = self.FIELDS.get(kind)
        if spec:
            name, label, field_kind = spec
            if field_kind == "money":
                self.fields[name] = money_field(label=label)
            elif field_kind == "count":
                self.fields[name] = count_field(label=label, maximum=168)
            elif field_kind == "yes_no":
                self.fields[name] = forms.ChoiceField(
                    label=label, widget=forms.RadioSelect, choices=[("yes", _("Yes")), ("no", _("No"))],
                    error_messages={"required": _("Select yes or no")},
                )  # fmt: skip
            else:
                self.fields[name] = forms.CharField(label=label, required=False, max_length=100)
        if kind == "partner_in":
            self.fields["name"] = forms.CharField(label=_("Your partner's full name"), max_length=200,
                                                  error_messages={"required": _("Enter your partner's name")})  # fmt: skip
            self.fields["date_of_birth"] = DateField(label=_("Your partner's date of birth"), dates=BIRTH,
                                                     error_label=str(_("Their date of birth")))  # fmt: skip
        if kind == "address":
            self.fields["address_line_1"] = forms.CharField(
                label=_("Address line 1"),
                max_length=200,
                error_messages={"required": _("Enter the first line of your new address")},
            )
            self.fields["address_line_2"] = forms.CharField(
                label=_("Address line 2 (optional)"), max_length=200, required=False
            )
            self.fields["town"] = forms.CharField(label=_("Town or city"), max_length=100,
                                                  error_messages={"required": _("Enter the town or city")})  # fmt: skip
            self.fields["postcode"] = forms.RegexField(
                label=_("Postcode"), max_length=10,
                regex=r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$",
                error_messages={"required": _("Enter the postcode"),
                                "invalid": _("Enter a full UK postcode, like AA3 1AB")},
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
            )  # fmt: skip
        if kind == "care_home":
            self.fields["who"] = forms.ChoiceField(
                label=_("Who moved into a care home?"), widget=forms.RadioSelect,
                choices=[("partner", _("My partner")), ("me", _("I did"))],
                error_messages={"required": _("Select who moved into a care home")},
            )  # fmt: skip
            self.fields["permanent"] = forms.ChoiceField(
                label=_("Is the move expected to be permanent?"), widget=forms.RadioSelect,
                help_text=_("Say no if the stay is expected to last 52 weeks or less."),
                choices=[("yes", _("Yes")), ("no", _("No"))],
                error_messages={"required": _("Select yes if the move is expected to be permanent")},
            )  # fmt: skip
        if kind == "someone_left":
            self.fields["member_id"] = forms.TypedChoiceField(
                label=_("Who left?"), coerce=int, widget=forms.RadioSelect,
                choices=[(m.pk, m.name) for m in members],
                error_messages={"required": _("Select who left")},
            )  # fmt: skip

    def clean_happened_on(self):
        return _check_date(self.cleaned_data.get("happened_on"), self.born)

    def details(self) -> dict:
        out = {}
        for name, value in self.cleaned_data.items():
            if name in ("happened_on", "token"):
                continue
            if name in ("lcwra", "permanent"):
                value = value == "yes"
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and not isinstance(value, (str, int, bool)):
                value = str(value)
            out[name] = value
        return out


class GoalForm(forms.Form):
    title = forms.CharField(label=_("What is your goal?"), max_length=200,
                            help_text=_("For example, back to work by March."),
                            error_messages={"required": _("Enter your goal")})  # fmt: skip
    target_date = DateField(label=_("By when? (optional)"), required=False, dates=GOAL_DATES,
                            error_label=str(_("The date")))  # fmt: skip
    steps = forms.CharField(label=_("Steps to get there (optional)"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One step on each line. Each step goes on your to-do list."))  # fmt: skip

    def clean_steps(self) -> str:
        # Each line becomes a step and a to-do item, whose titles have a length limit.
        limit = GoalStep._meta.get_field("title").max_length or 200
        lines = [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            if len(line) > limit:
                raise ValidationError(
                    _("Each step must be %(limit)s characters or fewer: step %(number)s is longer"),
                    code="step_too_long", params={"limit": limit, "number": number},
                )  # fmt: skip
        return self.cleaned_data["steps"]


class PlanStatusForm(forms.Form):
    """The plan page's buttons: pause, carry on, finished."""

    status = forms.ChoiceField(
        choices=JourneyStatus.choices,
        error_messages={
            "required": _("Choose what to do with your plan"),
            "invalid_choice": _("Choose what to do with your plan"),
        },
    )


class TaskDoneForm(forms.Form):
    """The "Mark as done" button (or not done), and the page to go back to."""

    done = forms.TypedChoiceField(
        choices=[("1", _("Done")), ("0", _("Not done"))], coerce=lambda value: value == "1",
        required=False, empty_value=True,
        error_messages={"invalid_choice": _("Say whether the task is done")},
    )  # fmt: skip
    next = forms.CharField(required=False, max_length=300)

    def clean_next(self) -> str:
        # Only back to a journeys page: never somewhere a link from elsewhere chose.
        target = self.cleaned_data["next"]
        return target if target.startswith("/journeys/") else ""
