"""Form rendering in the design system, shared by every form in the portal.

``FORM_RENDERER`` points here, so ``{{ form }}`` renders an error summary linked to the
fields, then each field as a design-system form group with its hint and error message.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


class DateParts(forms.MultiWidget):
    """Day, month and year as three boxes: the design system's date input pattern."""

    template_name = "components/widgets/date_parts.html"

    def __init__(self, attrs: dict | None = None) -> None:
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: date | None) -> list[str | None]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year, with errors in plain words."""

    widget = DateParts
    default_error_messages = {
        "incomplete": _("%(label)s must include a day, a month and a year"),
        "invalid": _("%(label)s must be a real date"),
        "required": _("Enter %(label_lower)s"),
    }

    def __init__(
        self, *, past_only: bool = False, future_only: bool = False, error_label: str = "", **kwargs
    ) -> None:
        # For a label that is a question ("When is the baby due?"), error_label names the
        # date in messages instead ("The due date must be a real date").
        self.error_label = error_label
        self.past_only = past_only
        self.future_only = future_only
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def _params(self) -> dict[str, str]:
        label = str(self.error_label or self.label or _("The date"))
        return {"label": label, "label_lower": label[:1].lower() + label[1:]}

    def clean(self, value):
        parts = [str(v or "").strip() for v in (value or [])] + ["", "", ""]
        day, month, year = parts[:3]
        if not any((day, month, year)):
            if self.required:
                raise ValidationError(
                    self.error_messages["required"], code="required", params=self._params()
                )
            return None
        if not all((day, month, year)):
            raise ValidationError(
                self.error_messages["incomplete"], code="incomplete", params=self._params()
            )
        try:
            result = date(int(year), int(month), int(day))
            if len(year) != 4:
                raise ValueError
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params=self._params()
            ) from None
        today = timezone.localdate()
        if self.past_only and result > today:
            raise ValidationError(
                _("%(label)s must be today or in the past"), code="future", params=self._params()
            )
        if self.future_only and result < today:
            raise ValidationError(
                _("%(label)s must be today or in the future"), code="past", params=self._params()
            )
        return result

    def compress(self, data_list):  # clean() does the work; required by MultiValueField
        return data_list


class MoneyInput(forms.TextInput):
    """An amount box that shows a known amount as people type it: "600", or "600.50" when
    there are pence, never "600.0" (a float from stored JSON) or "600.00"."""

    def format_value(self, value):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
            return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
        return super().format_value(value)


def money_field(*, label: str, help_text: str = "", required: bool = True) -> forms.DecimalField:
    """An amount in pounds, as people type it, with the design system's messages."""
    return forms.DecimalField(
        label=label, help_text=help_text, required=required,
        min_value=Decimal(0), max_value=Decimal(10_000_000), decimal_places=2,
        error_messages={
            "required": _("Enter an amount in pounds, like 150 or 150.50"),
            "invalid": _("Enter an amount in pounds, like 150 or 150.50"),
            "min_value": _("The amount must be 0 or more"),
            "max_value": _("The amount must be £10,000,000 or less"),
            "max_decimal_places": _("Enter pence as 2 digits at most, like 150.50"),
        },
        widget=MoneyInput(
            attrs={"inputmode": "decimal", "class": "govuk-input--width-10", "spellcheck": "false"}
        ),
    )  # fmt: skip


def count_field(
    *, label: str, maximum: int, help_text: str = "", required: bool = True
) -> forms.IntegerField:
    """A whole number from 0 to ``maximum`` (hours, children), with the design system's messages."""
    return forms.IntegerField(
        label=label, help_text=help_text, required=required, min_value=0, max_value=maximum,
        error_messages={
            "required": _("Enter a whole number"),
            "invalid": _("Enter a whole number, like 2"),
            "min_value": _("The number must be 0 or more"),
            "max_value": _("The number must be %(limit_value)s or fewer"),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-4", "spellcheck": "false"}
        ),
    )  # fmt: skip
