from __future__ import annotations

import copy
import secrets

from allauth.account.forms import LoginForm as _AllauthLoginForm
from allauth.account.forms import SignupForm as _AllauthSignupForm
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AccessibilityNeed,
    ContactChannel,
    Customer,
    Language,
    Relationship,
    normalise_nino,
    validate_nino,
)
from accounts.phone import is_uk_mobile, validate_phone_number
from accounts.security_log import sign_in_rate_limited
from lib.forms import BIRTH, CHANGE, PAST, DateField


class PersonalDetailsForm(forms.Form):
    legal_given_names = forms.CharField(
        label=_("Given names"),
        max_length=200,
        error_messages={"required": _("Enter your given names")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    legal_family_name = forms.CharField(
        label=_("Family name"),
        max_length=200,
        error_messages={"required": _("Enter your family name")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    preferred_name = forms.CharField(
        label=_("What should we call you? (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )
    date_of_birth = DateField(
        label=_("Date of birth"), dates=BIRTH, help_text=_("For example, 27 3 1985")
    )
    ni_number = forms.CharField(
        label=_("National Insurance number (optional)"),
        required=False,
        max_length=13,
        help_text=_(
            "It’s on your National Insurance card, payslip or P60. For example, ‘AB 12 34 56 C’."
        ),
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-10"}),
    )

    def __init__(self, *args, customer: Customer, **kwargs) -> None:
        self.customer = customer
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].widget.attrs["bday"] = True
        self._describe_held_ni_number()

    def _describe_held_ni_number(self) -> None:
        # The number we hold is never put back in the page: the person sees its ending and
        # types a new one only to change it.
        if self.customer.ni_number:
            field = self.fields["ni_number"]
            field.label = _("New National Insurance number (optional)")
            field.help_text = _(
                "We have your number %(ending)s. Leave this empty to keep it. "
                "If you change it, we will ask for your password again."
            ) % {"ending": self.customer.masked_ni_number}

    def clean_ni_number(self) -> str:
        value = normalise_nino(self.cleaned_data["ni_number"])
        if not value:
            return ""
        validate_nino(value)
        # Whether another account already has this number is never said here: that would
        # tell anyone who has an account. The service keeps it for a caseworker to check.
        return value


def check_can_text(phone: str) -> None:
    """Text messages need a UK mobile number: raise a form error saying what to do."""
    if not phone.strip():
        raise forms.ValidationError(
            _("To get text messages, first add your mobile number to your contact details"),
            code="no_mobile",
        )
    if not is_uk_mobile(phone):
        raise forms.ValidationError(
            _(
                "To get text messages, your phone number must be a UK mobile number, like "
                "07700 900123: change it in your contact details first"
            ),
            code="not_mobile",
        )


class ContactDetailsForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=30,
        help_text=_("For international numbers include the country code"),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}
        ),
    )
    address_line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=200,
        error_messages={"required": _("Enter address line 1, typically the building and street")},
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line_2 = forms.CharField(
        label=_("Address line 2 (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    town = forms.CharField(
        label=_("Town or city"),
        max_length=100,
        error_messages={"required": _("Enter town or city")},
        widget=forms.TextInput(
            attrs={"autocomplete": "address-level2", "class": "govuk-!-width-two-thirds"}
        ),
    )
    postcode = forms.RegexField(
        label=_("Postcode"),
        regex=r"^\s*[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}\s*$",
        max_length=10,
        error_messages={
            "required": _("Enter postcode"),
            "invalid": _("Enter a full UK postcode, like AA3 1AB"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
        ),
    )
    effective_from = DateField(
        label=_("When did this change?"),
        dates=CHANGE,
        error_label=_("The date of the change"),
        help_text=_("For example, 1 9 2026. If you moved, this is the date you moved in."),
    )

    def __init__(self, *args, gets_texts: bool = False, **kwargs) -> None:
        self.gets_texts = gets_texts
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        validate_phone_number(phone)
        if self.gets_texts and not is_uk_mobile(phone):
            raise forms.ValidationError(
                _(
                    "You get text messages from us, so enter a UK mobile number, like "
                    "07700 900123, or first change how we contact you"
                ),
                code="texts_need_mobile",
            )
        return phone


def _digits_only(value: str) -> str:
    return "".join(c for c in value if c not in " -")


class BankDetailsForm(forms.Form):
    """The account benefits are paid into. The numbers already held are never shown in
    the form: the person types the new account in full."""

    account_name = forms.CharField(
        label=_("Name on the account"),
        max_length=200,
        error_messages={"required": _("Enter the name on the account")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    sort_code = forms.CharField(
        label=_("Sort code"),
        max_length=12,
        help_text=_("Must be 6 digits long, like 30 94 98"),
        error_messages={"required": _("Enter a sort code")},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-5", "inputmode": "numeric",
                   "spellcheck": "false", "autocomplete": "off"}
        ),
    )  # fmt: skip
    account_number = forms.CharField(
        label=_("Account number"),
        max_length=12,
        help_text=_("Must be between 6 and 8 digits long"),
        error_messages={"required": _("Enter an account number")},
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric",
                   "spellcheck": "false", "autocomplete": "off"}
        ),
    )  # fmt: skip

    def clean_sort_code(self) -> str:
        value = _digits_only(self.cleaned_data["sort_code"])
        if not (value.isdigit() and len(value) == 6):
            raise forms.ValidationError(
                _("Enter a valid sort code like 30 94 98"), code="invalid_sort_code"
            )
        return value

    def clean_account_number(self) -> str:
        value = _digits_only(self.cleaned_data["account_number"])
        if not (value.isdigit() and 6 <= len(value) <= 8):
            raise forms.ValidationError(
                _("Enter a valid account number like 00733445"), code="invalid_account_number"
            )
        return value


class PreferencesForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Which language should we use?"),
        choices=Language.choices,
        widget=forms.RadioSelect,
    )
    contact_channels = forms.MultipleChoiceField(
        label=_("How should we contact you?"),
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. You can always see messages in your account."),
        error_messages={"required": _("Select at least one way to contact you")},
    )
    accessibility_needs = forms.MultipleChoiceField(
        label=_("Do you need any support to use our services? (optional)"),
        choices=AccessibilityNeed.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reasonable_adjustments = forms.CharField(
        label=_("Anything else we should do to help you? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, phone: str, **kwargs) -> None:
        self.phone = phone
        super().__init__(*args, **kwargs)

    def clean_contact_channels(self) -> list[str]:
        channels = self.cleaned_data["contact_channels"]
        if ContactChannel.SMS in channels:
            check_can_text(self.phone)
        return channels


class HouseholdMemberForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Who are you adding?"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who you are adding")},
    )
    name = forms.CharField(
        label=_("Their name"),
        max_length=200,
        error_messages={"required": _("Enter their name")},
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    date_of_birth = DateField(
        label=_("Their date of birth"), dates=BIRTH, help_text=_("For example, 4 11 2019")
    )
    joined_on = DateField(
        label=_("When did they start living with you?"),
        dates=PAST,
        error_label=_("The date they started living with you"),
        help_text=_("If they were born while living with you, use their date of birth."),
    )

    def clean(self):
        data = super().clean()
        born, joined = data.get("date_of_birth"), data.get("joined_on")
        if born and joined and joined < born:
            self.add_error(
                "joined_on",
                forms.ValidationError(
                    _(
                        "The date they started living with you must be on or after their date of birth"
                    ),
                    code="before_birth",
                ),
            )
        return data


class MemberLeftForm(forms.Form):
    left_on = DateField(
        label=_("When did they stop living with you?"),
        dates=PAST,
        error_label=_("The date they stopped living with you"),
    )

    def __init__(self, *args, joined_on, **kwargs) -> None:
        self.joined_on = joined_on
        super().__init__(*args, **kwargs)

    def clean_left_on(self):
        value = self.cleaned_data["left_on"]
        if value and value <= self.joined_on:
            raise forms.ValidationError(
                _(
                    "The date they stopped living with you must be after they started living with you"
                ),
                code="before_joined",
            )
        return value


def _plain(form: forms.Form) -> None:
    """Design-system fields: labels say what to enter, and nothing hides in placeholders."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(_AllauthLoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _plain(self)
        self.fields["login"].label = _("Email address")
        self.fields.pop("remember", None)  # sessions end after 12 hours regardless

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            # allauth's rate limit refuses in its form, with no signal: log it here (16.3.1).
            if error.code == "too_many_login_attempts":
                login = self.cleaned_data.get("login")
                sign_in_rate_limited(request=self.request, login=str(login or ""))
            raise


class SignupForm(_AllauthSignupForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _plain(self)
        self.fields["email"].label = _("Email address")
        self.fields["password1"].label = _("Create a password")
        self.fields["password1"].help_text = _(
            "Use 12 to 128 characters. A few unrelated words are easy to remember and hard to guess."
        )
        self.fields["password2"].label = _("Type the password again")

    def try_save(self, request):
        """An address that has an account gets an email instead of a second account. It
        first rehearses creating one, so the time taken says nothing (see ``_rehearse``);
        both paths then queue one email (``AccountAdapter.send_mail``)."""
        if self.account_already_exists:
            self._rehearse(request)
        return super().try_save(request)

    def _rehearse(self, request) -> None:
        """Create the account a new address would get — the same code: the password hashed,
        the user, customer, facts and email address written — for a stand-in address that
        cannot exist, then roll it all back."""
        rehearsal = copy.copy(self)
        rehearsal.cleaned_data = {
            **self.cleaned_data,
            "email": f"{secrets.token_hex(8)}@rehearsal.invalid",  # .invalid: never real
        }
        rehearsal.account_already_exists = False
        with transaction.atomic():
            rehearsal.save(request)
            transaction.set_rollback(True)
