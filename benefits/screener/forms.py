"""The screener's forms besides its questions (``questions.form_for`` builds those)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SaveAnswersForm(forms.Form):
    """ "Save these answers to your account?": the page's two buttons, yes or no."""

    save = forms.TypedChoiceField(
        choices=[("yes", _("Yes, save my answers")), ("no", _("No, do not save them"))],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": _("Choose whether to save your answers"),
            "invalid_choice": _("Choose whether to save your answers"),
        },
    )
