"""Form rendering in the design system, shared by every form in the portal.

``FORM_RENDERER`` points here, so ``{{ form }}`` renders an error summary linked to the
fields, then each field as a design-system form group with its hint and error message.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "components/form.html"
    field_template_name = "components/field.html"


def today() -> date:
    """The day every date question is measured from: the site's local date.

    One function, so a test can fix "today" for the date fields alone.
    """
    return timezone.localdate()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), or the month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def from_today(*, years: int = 0, months: int = 0, days: int = 0) -> Callable[[date], date]:
    """A bound of a ``DateRange``, measured from today: ``from_today(years=-130)``."""
    return lambda on: add_months(on, 12 * years + months) + timedelta(days=days)


@dataclass(frozen=True)
class DateRange:
    """The dates a question accepts, from ``earliest`` to ``latest`` inclusive.

    Each bound is measured from today (``from_today``); None leaves that side open. The
    messages may use ``%(label)s``, ``%(earliest)s``, ``%(latest)s``, ``%(after)s`` (the
    day before the earliest) and ``%(before)s`` (the day after the latest). Without them,
    the design system's wording: "… must be today or in the past", "… must be after 3
    December 1896".
    """

    earliest: Callable[[date], date] | None = None
    latest: Callable[[date], date] | None = None
    too_early: str = ""
    too_late: str = ""

    def check(self, value: date, *, on: date, params: dict[str, str]) -> None:
        first = self.earliest(on) if self.earliest else None
        last = self.latest(on) if self.latest else None
        words = dict(params)
        if first:
            words |= {"earliest": _day(first), "after": _day(first - timedelta(days=1))}
        if last:
            words |= {"latest": _day(last), "before": _day(last + timedelta(days=1))}
        if first and value < first:
            default = (
                _("%(label)s must be today or in the future")
                if first == on
                else _("%(label)s must be after %(after)s")
            )
            raise ValidationError(self.too_early or default, code="too_early", params=words)
        if last and value > last:
            default = (
                _("%(label)s must be today or in the past")
                if last == on
                else _("%(label)s must be before %(before)s")
            )
            raise ValidationError(self.too_late or default, code="too_late", params=words)


def _day(value: date) -> str:
    return date_format(value, "j F Y")


# The ranges the portal's questions use. A form that knows better declares its own.
BIRTH = DateRange(earliest=from_today(years=-130), latest=from_today())
"""A date of birth: today or in the past, and no more than 130 years ago."""
PAST = DateRange(earliest=from_today(years=-130), latest=from_today())
"""Something in a person's life so far (moved in together, moved out)."""
RECENT_PAST = DateRange(earliest=from_today(years=-10), latest=from_today())
"""Something in the last 10 years (a job that ended, a death)."""
LIFE_EVENT = DateRange(earliest=from_today(months=-3), latest=from_today(months=9))
"""Something that happened in the last 3 months or will in the next 9."""
CHANGE = DateRange(
    earliest=from_today(months=-12),
    latest=from_today(),
    too_early=_("%(label)s must be within the last 12 months. Phone us about an older change."),
)
"""A change of circumstances: in the last 12 months, and not in the future."""
DUE_DATE = DateRange(earliest=from_today(months=-12), latest=from_today(months=10))
"""A baby's due date: a pregnancy now, or a baby born in the last year."""

DATE_PARTS = ("day", "month", "year")
_MISSING = {
    ("day",): _("%(label)s must include a day"),
    ("month",): _("%(label)s must include a month"),
    ("year",): _("%(label)s must include a year"),
    ("day", "month"): _("%(label)s must include a day and month"),
    ("day", "year"): _("%(label)s must include a day and year"),
    ("month", "year"): _("%(label)s must include a month and year"),
}
_DIGITS = re.compile(r"[0-9]+")


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
    """The one date question of the portal: day, month and year boxes, and a range.

    Every use declares the dates it accepts (``dates=BIRTH``, or its own ``DateRange``),
    so no answer is absurd: a year of 1990 for something that happened last week, or one
    too large for a date at all. Anything else typed is a form error with a code —
    ``required``, ``incomplete``, ``invalid``, ``too_early``, ``too_late`` — and its
    ``parts`` param names the boxes to fix, the first of which the error summary links to.
    """

    widget = DateParts
    default_error_messages = {
        "invalid": _("%(label)s must be a real date"),
        "required": _("Enter %(label_lower)s"),
    }

    def __init__(self, *, dates: DateRange, error_label: str = "", **kwargs) -> None:
        # For a label that is a question ("When is the baby due?"), error_label names the
        # date in messages instead ("The due date must be a real date").
        self.error_label = error_label
        self.dates = dates
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def _params(self, parts: tuple[str, ...] = DATE_PARTS) -> dict:
        label = str(self.error_label or self.label or _("The date"))
        return {"label": label, "label_lower": label[:1].lower() + label[1:], "parts": parts}

    def _error(
        self, message: str, code: str, parts: tuple[str, ...] = DATE_PARTS
    ) -> ValidationError:
        return ValidationError(message, code=code, params=self._params(parts))

    def clean(self, value):
        if not isinstance(value, (list, tuple)):
            value = []
        typed = dict(zip(DATE_PARTS, [str(v or "").strip() for v in value], strict=False))
        missing = tuple(part for part in DATE_PARTS if not typed.get(part))
        if len(missing) == len(DATE_PARTS):
            if self.required:
                raise self._error(self.error_messages["required"], "required")
            return None
        if missing:
            raise self._error(_MISSING[missing], "incomplete", missing)
        # Plain digits only: int() would take "1_990", " ١٩٩٠" or a number too large for
        # a date (OverflowError). A year has 4 digits, a day or a month at most 2.
        wrong = tuple(
            part
            for part in DATE_PARTS
            if not _DIGITS.fullmatch(typed[part])
            or (len(typed[part]) != 4 if part == "year" else len(typed[part]) > 2)
        )
        if wrong:
            raise self._error(self.error_messages["invalid"], "invalid", wrong)
        try:
            result = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError:
            wrong = (
                ("year",) if int(typed["year"]) < 1
                else ("month",) if not 1 <= int(typed["month"]) <= 12
                else ("day",)
            )  # fmt: skip
            raise self._error(self.error_messages["invalid"], "invalid", wrong) from None
        self.dates.check(result, on=today(), params=self._params())
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
