"""Every form renders in the design system with errors a screen reader can follow."""

from __future__ import annotations

from django import forms


class ContactForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As on your passport")
    channel = forms.ChoiceField(
        label="How should we contact you?",
        choices=[("email", "Email"), ("post", "Post")],
        widget=forms.RadioSelect,
    )
    needs = forms.MultipleChoiceField(
        label="Support you need",
        choices=[("bsl", "British Sign Language"), ("large", "Large print")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(label="Message", widget=forms.Textarea)
    agree = forms.BooleanField(label="I agree")


def test_a_valid_form_has_no_error_summary():
    html = str(ContactForm(data=None))

    assert "govuk-error-summary" not in html
    assert '<input type="text" name="name"' in html
    assert 'class="govuk-input"' in html
    assert 'aria-describedby="id_name-hint"' in html


def test_errors_link_to_each_field_including_the_first_radio():
    html = str(ContactForm(data={}))

    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_name">' in html
    assert '<a href="#id_channel_0">' in html
    assert '<a href="#id_message">' in html
    assert '<a href="#id_agree">' in html
    assert 'id="id_channel_0"' in html


def test_field_errors_are_announced_and_wired_to_their_inputs():
    html = str(ContactForm(data={}))

    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html
    # Radios and checkboxes are grouped in a fieldset with a legend.
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in html
    assert html.count('class="govuk-radios__input"') == 2
    assert html.count('class="govuk-checkboxes__input"') == 3  # two choices + "I agree"


def test_user_input_is_kept_and_escaped_when_the_form_is_shown_again():
    html = str(ContactForm(data={"name": "<b>Siân</b>", "channel": "post"}))

    assert 'value="&lt;b&gt;Siân&lt;/b&gt;"' in html
    assert 'value="post" checked' in html
