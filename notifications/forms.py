from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import check_can_text
from notifications.models import Channel, NotificationKind

KIND_LABELS = {
    NotificationKind.STATUS: _("Updates about your claims"),
    NotificationKind.REMINDER: _("Reminders of things to do and payments"),
    NotificationKind.MESSAGE: _("Messages from your caseworker"),
    NotificationKind.NUDGE: _("Suggestions of help you could get"),
}
KIND_HINTS = {
    NotificationKind.STATUS: _("You will always see these in your account as well."),
}


class PreferencesForm(forms.Form):
    """One group of channel checkboxes per kind of message, and quiet hours for texts."""

    quiet_from = forms.TimeField(
        label=_("From"), required=False, input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text=_("Use the 24-hour clock, like 21:00"),
        error_messages={"invalid": _("Enter a time like 21:00")},
        # 21:00, as the hint asks, not Python's 21:00:00.
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )  # fmt: skip
    quiet_until = forms.TimeField(
        label=_("Until"), required=False, input_formats=["%H:%M", "%H.%M", "%H%M"],
        help_text=_("Use the 24-hour clock, like 08:00"),
        error_messages={"invalid": _("Enter a time like 08:00")},
        # 21:00, as the hint asks, not Python's 21:00:00.
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )  # fmt: skip

    def __init__(self, *args, phone: str, **kwargs) -> None:
        self.phone = phone
        super().__init__(*args, **kwargs)
        for kind in NotificationKind.values:
            self.fields[kind] = forms.MultipleChoiceField(
                label=KIND_LABELS[kind], help_text=KIND_HINTS.get(kind, ""), required=False,
                choices=Channel.choices, widget=forms.CheckboxSelectMultiple,
            )  # fmt: skip

    def kind_fields(self):
        return [self[kind] for kind in NotificationKind.values]

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if (start is None) != (end is None) and not self.errors:
            missing = "quiet_until" if end is None else "quiet_from"
            self.add_error(
                missing, forms.ValidationError(_("Enter both times, or neither"), code="incomplete")
            )
        elif start is not None and start == end:
            self.add_error(
                "quiet_until",
                forms.ValidationError(
                    _("The end time must be different from the start time"), code="same"
                ),
            )
        self._check_texts(data)
        return data

    def _check_texts(self, data: dict) -> None:
        """Each kind that asks for texts needs a UK mobile number to send them to."""
        for kind in NotificationKind.values:
            if Channel.SMS in data.get(kind, []):
                try:
                    check_can_text(self.phone)
                except forms.ValidationError as error:
                    self.add_error(kind, error)
