"""UK mobile numbers: what people type, checked and written as E.164.

Used by the forms that let a person choose text messages and by ``notifications.sms``,
which sends them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class NotAUkMobile(ValueError):
    """The number is not a UK mobile number; the message says why, in plain English."""


# What people type between digits: spaces (\s includes non-breaking ones), hyphens, dots,
# brackets.
_SEPARATORS = re.compile(r"[\s\-.()]")
# ASCII digits only: str.isdigit() would also accept Arabic-Indic and other digits.
_TYPED_NUMBER = re.compile(r"\+?[0-9]+")


def normalise_uk_mobile(raw: str) -> str:
    """Return a UK mobile number as E.164 (``+447700900123``), from what a person typed.

    Accepts ``07700 900123``, ``07700-900-123``, ``(07700) 900123``, ``+44 7700 900123``,
    ``+44 (0)7700 900123``, ``0044 7700 900123``, ``447700900123`` and ``7700 900123``. A UK mobile is 07
    followed by 9 digits, excluding 070 (personal numbers) and 076 (pagers) apart from 07624
    (Isle of Man mobiles). Raises ``NotAUkMobile`` with a plain English reason otherwise.
    """
    compact = _SEPARATORS.sub("", raw or "")
    if not compact:
        raise NotAUkMobile("The phone number is empty.")

    if not _TYPED_NUMBER.fullmatch(compact):
        raise NotAUkMobile(
            "The phone number must only contain digits, spaces, brackets, hyphens and a leading +."
        )

    if compact.startswith(("+", "00")):
        if not compact.startswith(("+44", "0044")):
            raise NotAUkMobile("The phone number is not a UK number.")
        # "+44 (0)7700 900123" is a common way to write a UK number.
        digits = compact.removeprefix("+").removeprefix("00")[2:].removeprefix("0")
    elif compact.startswith("44") and len(compact) == 12:
        # Typed without the plus: 447700900123.
        digits = compact[2:]
    else:
        digits = compact.removeprefix("0")

    national = "0" + digits
    if len(national) < 11:
        raise NotAUkMobile("The phone number is too short for a UK mobile number.")
    if len(national) > 11:
        raise NotAUkMobile("The phone number is too long for a UK mobile number.")
    if not national.startswith("07"):
        raise NotAUkMobile("This is not a UK mobile number: UK mobile numbers start with 07.")
    if national.startswith("070"):
        raise NotAUkMobile("Numbers starting 070 are personal numbers, not mobile numbers.")
    if national.startswith("076") and not national.startswith("07624"):
        raise NotAUkMobile("Numbers starting 076 are pagers, not mobile numbers.")
    return "+44" + national[1:]


def is_phone_number(raw: str) -> bool:
    """Whether ``raw`` is written as a phone number (any country): digits with an optional
    leading +, between spaces, hyphens, dots and brackets, 7 to 16 digits in all."""
    compact = _SEPARATORS.sub("", raw or "")
    return bool(_TYPED_NUMBER.fullmatch(compact)) and 7 <= len(compact.lstrip("+")) <= 16


def validate_phone_number(value: str) -> None:
    """A form's check of a phone number anyone may call (empty is left to ``required``)."""
    if value and not is_phone_number(value):
        # Letters, markup or symbols are no number anyone can call or text.
        raise ValidationError(
            _("Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
            code="invalid_phone",
        )


def is_uk_mobile(raw: str) -> bool:
    try:
        normalise_uk_mobile(raw)
    except NotAUkMobile:
        return False
    return True
