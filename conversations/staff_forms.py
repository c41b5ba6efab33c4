"""Forms for caseworkers' actions on a conversation, in the admin. Validation only: each
action calls a service in ``conversations.casework``. (The person's forms are
``conversations.forms``.)"""

from __future__ import annotations

import uuid
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import FactKind, Team, User
from benefits.casework.forms import RequestInformationForm
from conversations.casework import CHANGE_KINDS
from conversations.models import MAX_MESSAGE_LENGTH, ReplyTemplate
from lib.forms import DateField, DateRange, from_today

__all__ = [
    "AssignForm",
    "ChangeForm",
    "NoteForm",
    "ReplyForm",
    "RequestInformationForm",
    "SupervisorDoneForm",
    "SupervisorForm",
    "TakeNextForm",
    "TemplateChoiceForm",
    "TransferForm",
]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply to the person"), max_length=MAX_MESSAGE_LENGTH, required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain words. The person is told there is a new message; the email or "
                    "text never contains it."),
    )  # fmt: skip
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.filter(active=True), required=False,
        widget=forms.HiddenInput,
    )  # fmt: skip
    close = forms.BooleanField(
        label=_("Close the conversation with this reply (the person can still read it)"),
        required=False,
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        data = super().clean() or {}
        if not (data.get("body") or "").strip() and data.get("template") is None:
            self.add_error("body", forms.ValidationError(_("Write the reply."), code="required"))
        return data


class TemplateChoiceForm(forms.Form):
    """Start the reply from a template (a GET: the page comes back with it filled in)."""

    template = forms.ModelChoiceField(
        label=_("Start from a reply template"), queryset=ReplyTemplate.objects.none(),
        empty_label=_("Choose a template"),
    )  # fmt: skip

    def __init__(self, *args, templates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if templates is not None:
            cast(forms.ModelChoiceField, self.fields["template"]).queryset = templates


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see internal notes: never the person."),
    )  # fmt: skip


class SupervisorForm(forms.Form):
    reason = forms.CharField(label=_("Why does it need a supervisor?"), max_length=500)


class SupervisorDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done (optional)"), max_length=500, required=False)


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Give the conversation to"),
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by("email"),
    )


class TransferForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Transfer to the team"), queryset=Team.objects.filter(active=True)
    )


class TakeNextForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("From the team"), queryset=Team.objects.filter(active=True), required=False,
        empty_label=_("Any team"),
    )  # fmt: skip

    def __init__(self, *args, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if teams is not None:
            cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams


# A change told in a message: from up to two years ago to three months ahead.
CHANGE_DATES = DateRange(earliest=from_today(years=-2), latest=from_today(months=3))


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What changed"),
        choices=[(kind, FactKind(kind).label) for kind in CHANGE_KINDS],
    )
    value = forms.DecimalField(
        label=_("New amount (or hours)"), min_value=0, max_digits=10, decimal_places=2
    )
    effective_from = DateField(
        label=_("From"), dates=CHANGE_DATES, error_label=cast(str, _("The date of the change"))
    )

    def clean(self):
        data = super().clean() or {}
        kind, value = data.get("kind"), data.get("value")
        if kind and value is not None and CHANGE_KINDS[kind] is int and value != int(value):
            self.add_error("value", forms.ValidationError(_("Enter whole hours."), code="invalid"))
        return data
