"""The forms of "Your representatives": inviting someone and changing what they may do."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.acting import Scope
from lib.forms import DateField, DateRange, from_today

#: An end date from today to five years ahead.
END = DateRange(earliest=from_today(), latest=from_today(years=5))


class _ScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("What can they do?"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. They will never see your sign-in details."),
        error_messages={"required": _("Select what they can do")},
    )
    claims = forms.MultipleChoiceField(
        label=_("Which claims? (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to let them see all your claims, including future ones."),
    )
    ends_on = DateField(
        label=_("When should this end? (optional)"),
        dates=END,
        required=False,
        error_label=str(_("The end date")),
        help_text=_(
            "For example, 27 3 2027. Leave empty for no end date: you can stop it at any time."
        ),
    )

    def __init__(self, *args, claims=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.claim_objects = {str(c.pk): c for c in claims}
        self.fields["claims"].choices = [  # type: ignore[attr-defined]
            (str(c.pk), f"{c.benefit.name} ({c.reference or _('not sent yet')})") for c in claims
        ]
        if not claims:
            del self.fields["claims"]

    def chosen_claims(self) -> list:
        return [self.claim_objects[pk] for pk in self.cleaned_data.get("claims", [])]


class InviteForm(_ScopesForm):
    name = forms.CharField(label=_("Their full name"), max_length=200)
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        help_text=_("We will email them a link. They sign in or create an account to accept."),
    )

    field_order = ["name", "email", "scopes", "claims", "ends_on"]


class ChangeForm(_ScopesForm):
    pass
