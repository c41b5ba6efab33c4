"""The person's forms (booking, moving, cancelling) and the caseworker's outcome form.

Choices are built from what the page offers (the person's own claims, the ways to meet
with someone available, the free times of the week shown), so anything else sent is an
invalid choice with a message, linked from the error summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.phone import validate_phone_number
from appointments import words
from appointments.models import BOOKING_WEEKS, CancelReason, Channel, Purpose, Slot, Status
from appointments.selectors import Way
from benefits.models import Claim

HEADING = {"page_heading": True}


def _radios(**kwargs) -> forms.RadioSelect:
    return forms.RadioSelect(attrs=HEADING, **kwargs)


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What is the appointment about?"),
        widget=_radios(),
        error_messages={
            "required": _("Select what the appointment is about"),
            "invalid_choice": _("Select one of the options"),
        },
    )

    def __init__(self, *args, claims: Sequence[Claim] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [
            (
                f"claim:{claim.pk}",
                str(
                    _("Talk about my %(benefit)s claim (%(reference)s)")
                    % {"benefit": claim.benefit.name, "reference": claim.reference}
                ),
            )
            for claim in claims
        ]
        choices += [(p.value, str(p.label)) for p in Purpose if p != Purpose.CLAIM or not claims]
        _choice_field(self, "purpose").choices = choices

    def purpose_and_claim(self) -> tuple[str, int | None]:
        value = self.cleaned_data["purpose"]
        if value.startswith("claim:"):
            return Purpose.CLAIM.value, int(value.removeprefix("claim:"))
        return value, None


class WayForm(forms.Form):
    way = forms.ChoiceField(
        label=_("How would you like to meet?"),
        widget=_radios(),
        error_messages={
            "required": _("Select how you would like to meet"),
            "invalid_choice": _("Select one of the options"),
        },
    )

    def __init__(self, *args, ways: Sequence[Way] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "way").choices = [(way.code, way_label(way)) for way in ways]


def way_label(way: Way) -> str:
    if way.office is None:
        return {
            Channel.PHONE: str(_("By phone: we call you")),
            Channel.VIDEO: str(_("By video call")),
        }.get(Channel(way.channel), str(Channel(way.channel).label))
    label = str(_("At %(office)s, %(address)s")) % {
        "office": way.office.name,
        "address": way.office.one_line,
    }
    if way.office.step_free:
        label += " " + str(_("(step-free access)"))
    return label


class WeekForm(forms.Form):
    """The week the booking and moving pages show (a GET parameter): 0 is this week."""

    week = forms.IntegerField(min_value=0, max_value=BOOKING_WEEKS - 1, required=False)

    def number(self) -> int:
        return (self.cleaned_data.get("week") or 0) if self.is_valid() else 0


class TimeForm(forms.Form):
    slot = forms.ChoiceField(
        label=_("Choose a time"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a time"),
            "invalid_choice": _("Select one of the times shown"),
        },
    )

    def __init__(self, *args, slots: Sequence[Slot] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "slot").choices = [(str(s.pk), time_label(s)) for s in slots]

    def slot_id(self) -> int:
        return int(self.cleaned_data["slot"])


def time_label(slot: Slot) -> str:
    label = str(_("%(start)s to %(end)s")) % {
        "start": words.clock(slot.starts_at),
        "end": words.clock(slot.ends_at),
    }
    if slot.capacity > 1:
        label += " " + str(_("(a group session)"))
    return label


class NeedsForm(forms.Form):
    callback_phone = forms.CharField(
        label=_("What number should we call?"),
        help_text=_("We will call you on this number at the time of the appointment."),
        max_length=30,
        validators=[validate_phone_number],
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}
        ),
        error_messages={"required": _("Enter the number we should call")},
    )
    interpreter_language = forms.CharField(
        label=_("If you need an interpreter, which language? (optional)"),
        help_text=_("For example, Polish or British Sign Language. Leave it empty if not."),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    step_free_access = forms.BooleanField(
        label=_("I need step-free access (no steps or stairs)"), required=False
    )
    other_needs = forms.CharField(
        label=_("Is there anything else we should know to help you? (optional)"),
        help_text=_("For example, if you need more time or will bring someone with you."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, channel: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if channel != Channel.PHONE:
            del self.fields["callback_phone"]
        if channel != Channel.OFFICE:
            del self.fields["step_free_access"]

    def needs(self) -> dict[str, object]:
        return {
            "interpreter_language": self.cleaned_data.get("interpreter_language", ""),
            "step_free_access": bool(self.cleaned_data.get("step_free_access")),
            "callback_phone": self.cleaned_data.get("callback_phone", ""),
            "other_needs": self.cleaned_data.get("other_needs", ""),
        }


class ConfirmForm(forms.Form):
    """The "Book" button of check your answers: nothing to type."""


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you cancelling? (optional)"),
        choices=CancelReason.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select one of the reasons")},
    )


# --- Staff ---------------------------------------------------------------------------------


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened?"),
        choices=[
            (Status.ATTENDED.value, _("They came (attended)")),
            (Status.MISSED.value, _("They did not come (did not attend)")),
            (Status.RESCHEDULED.value, _("It has to be moved (we will offer another time)")),
        ],
        widget=forms.RadioSelect,
    )
    for_person = forms.CharField(
        label=_("What happens next (the person sees this)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Notes for staff (the person does not see these)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DayForm(forms.Form):
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def chosen(self, today: date) -> date:
        return (self.cleaned_data.get("day") or today) if self.is_valid() else today
