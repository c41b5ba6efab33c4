"""Forms for the person's data rights (consents, corrections) and the caseworker's outcome."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from representatives.models import CorrectionRequest


class CorrectionForm(forms.Form):
    what_is_wrong = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter what is wrong"),
            "max_length": _("What is wrong must be 2,000 characters or fewer"),
        },
    )
    should_be = forms.CharField(
        label=_("What should it say?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("If you are not sure, tell us what you know."),
        error_messages={
            "required": _("Enter what it should say"),
            "max_length": _("What it should say must be 2,000 characters or fewer"),
        },
    )


class OutcomeForm(forms.Form):
    """The caseworker's outcome of a correction request (in the admin)."""

    outcome = forms.ChoiceField(
        label=_("What did you do?"),
        choices=[
            (CorrectionRequest.Status.CORRECTED.value, _("Corrected it")),
            (CorrectionRequest.Status.NOT_CHANGED.value, _("Did not change it")),
        ],
        widget=forms.RadioSelect,
    )
    corrected_value = forms.CharField(
        label=_("Corrected value (recorded for you where this kind of detail allows)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    effective_from = forms.DateField(
        label=_("True from (for a dated detail; empty: the date it was wrong from, or today)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("What happened (the person reads this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


__all__ = ["CorrectionForm", "OutcomeForm"]
