"""Sensitive numbers as people and staff see them: only the last few characters.

One set of helpers, so a National Insurance number or bank account reads the same on every
page, letter and admin screen, and the full number is never rendered.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def _ending(last: str) -> str:
    return _("ending %(last)s") % {"last": last}


def mask_nino(value: str | None) -> str:
    """AB123456C → "ending 56 C"."""
    value = (value or "").replace(" ", "").upper()
    if len(value) < 3:
        return ""
    return _ending(f"{value[-3:-1]} {value[-1]}")


def mask_sort_code(value: str | None) -> str:
    """309498 → "ending 98"."""
    digits = "".join(c for c in value or "" if c.isdigit())
    return _ending(digits[-2:]) if len(digits) >= 2 else ""


def mask_account_number(value: str | None) -> str:
    """00733445 → "ending 3445"."""
    digits = "".join(c for c in value or "" if c.isdigit())
    return _ending(digits[-4:]) if len(digits) >= 4 else ""
