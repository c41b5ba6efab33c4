"""Forms for caseworkers' actions on a claim, in the admin. Validation only: each action
calls the service in benefits.claims or benefits.casework."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from benefits.rules.base import Nation, add_working_days
from lib.forms import DateField, DateRange, from_today

# Long enough to find a payslip or a letter; short enough that the claim is not held up.
REPLY_BY = DateRange(earliest=from_today(), latest=from_today(months=3))

REFUSAL_REASONS = [
    ("conditions", _("You do not meet the conditions for this benefit")),
    ("income", _("Your income is over the limit")),
    ("capital", _("Your savings and capital are over the limit")),
    ("residence", _("You do not meet the residence conditions")),
    ("evidence", _("We did not get the evidence we asked for")),
    ("other", _("Another reason")),
]


class RequestInformationForm(forms.Form):
    what = forms.CharField(
        label=_("What do you need from the person?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain words: the person sees this on their to-do list."),
    )  # fmt: skip
    due_on = DateField(label=_("Reply by"), dates=REPLY_BY, error_label=_("The reply-by date"))

    def __init__(self, *args, nation: Nation = Nation.ENGLAND_AND_WALES, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Two working weeks in the person's nation (bank holidays do not count).
        self.fields["due_on"].initial = add_working_days(timezone.localdate(), 10, nation)


class AwardForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=10, decimal_places=2,
        help_text=_("Leave empty to award the amount the rules worked out."),
    )  # fmt: skip
    adjustment_reason = forms.CharField(
        label=_("Reason for the person, if the amount differs from the rules' amount"),
        required=False, max_length=500,
        help_text=_(
            "The person sees this on their award statement and decision letter, as the reason "
            "for the adjustment line. Write it for them, in plain words."
        ),
    )  # fmt: skip
    internal_note = forms.CharField(
        label=_("Internal note (staff only)"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How you worked it out, for colleagues. The person never sees this."),
    )  # fmt: skip
    reasons = forms.CharField(
        label=_("Reasons for the person"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to use the rules' explanation."),
    )  # fmt: skip


class RefuseForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=REFUSAL_REASONS)
    details = forms.CharField(
        label=_("Explain the decision in plain words"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip

    def reasons(self) -> str:
        label = dict(REFUSAL_REASONS)[self.cleaned_data["reason_code"]]
        return f"{label}.\n{self.cleaned_data['details'].strip()}"


class ReconsiderationForm(forms.Form):
    changed = forms.TypedChoiceField(
        label=_("Outcome"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Change the decision")), ("no", _("Keep the decision"))],
    )  # fmt: skip
    amount = forms.DecimalField(
        label=_("New amount"), required=False, min_value=0, max_digits=10, decimal_places=2,
        help_text=_("Leave empty to use the rules' amount."),
    )  # fmt: skip
    reasons = forms.CharField(
        label=_("Reasons for the person"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see internal notes."),
    )  # fmt: skip


class DocumentDecisionForm(forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput)
    accepted = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        choices=[("yes", _("Accept")), ("no", _("Do not accept"))],
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason (needed if not accepted)"), required=False, max_length=500
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the automatic decision is being reversed"), max_length=2000
    )


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Give the selected claims to"), required=False,
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by("email"),
        empty_label=_("Nobody: return them to the queue"),
    )  # fmt: skip


class ReviewChangeForm(forms.Form):
    apply = forms.TypedChoiceField(
        label=_("What does the change mean for this claim?"), coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Work the award out again from the date of the change")),
                 ("no", _("It does not change the claim"))],
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason for the person"), required=False, max_length=2000)
