"""Template helpers that render Django form fields as design-system components."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from lib.forms import DATE_PARTS, DateParts

register = template.Library()

_INPUT_CLASS = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


def _error_class(css: str) -> str:
    # Block classes (govuk-input) have an error modifier; element classes do not.
    return "" if "__" in css else f"{css}--error"


@register.filter
def field_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, DateParts):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """Render the field's widget with the design system's classes and ARIA links."""
    widget = field.field.widget
    if isinstance(widget, DateParts):
        return field.as_widget(
            attrs={"error_parts": date_error_parts(field), "bday": bool(widget.attrs.get("bday"))}
        )
    css = next(
        (value for cls, value in _INPUT_CLASS.items() if isinstance(widget, cls)), "govuk-input"
    )
    classes = [css]
    if field.errors and (error_class := _error_class(css)):
        classes.append(error_class)
    existing = widget.attrs.get("class", "")
    attrs = {"class": " ".join(filter(None, [existing, *classes]))}
    if describedby := described_by(field):
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


def date_error_parts(field: BoundField) -> tuple[str, ...]:
    """The boxes of a date (day, month, year) its first error is about, so only they are
    highlighted and the error summary links to the first of them."""
    if not field.errors:
        return ()
    params = getattr(field.errors.data[0], "params", None) or {}
    return tuple(params.get("parts") or DATE_PARTS)


@register.filter
def govuk_describedby(field: BoundField) -> str:
    return described_by(field)


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary links to: the first box of a group, else the field."""
    kind = field_kind(field)
    if kind == "date":  # MultiWidget numbers its boxes: day 0, month 1, year 2
        first = (date_error_parts(field) or DATE_PARTS)[0]
        return f"{field.auto_id}_{DATE_PARTS.index(first)}"
    if kind in ("radios", "checkboxes"):
        return f"{field.auto_id}_0"
    return field.auto_id
