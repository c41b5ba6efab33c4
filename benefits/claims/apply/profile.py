"""Tell us once: the identity details an application gives, offered to the profile.

An application asks for a name, date of birth, NI number, address and phone. Once it is
sent, those the profile lacks or holds differently are offered to the person ("Update your
profile with these details?"); nothing is written until they confirm, and where the
profile already has another value they choose which is right. Writing goes through the
accounts services (``claims.update_profile_from_claim``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.masking import mask_nino
from accounts.models import Customer, normalise_nino

# The slugs of ABOUT_YOU an application can offer to the profile, in the page's order.
IDENTITY = ("full_name", "date_of_birth", "ni_number", "address", "phone")
LABELS = {
    "full_name": _("Name"),
    "date_of_birth": _("Date of birth"),
    "ni_number": _("National Insurance number"),
    "address": _("Address"),
    "phone": _("Phone"),
}
# Replacing one of these (not adding it) needs the password again, as on the profile.
NEEDS_PASSWORD_TO_REPLACE = {"ni_number", "address", "phone"}

POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$", re.I)


@dataclass(frozen=True)
class Offer:
    slug: str
    label: str
    new: str  # what the application says, shown (masked if sensitive)
    current: str  # what the profile says, shown; "" when it has nothing

    @property
    def conflict(self) -> bool:
        return bool(self.current)


def split_name(full_name: str) -> tuple[str, str]:
    """ "Alice Mary Jones" → ("Alice Mary", "Jones"): the last word is the family name."""
    words = full_name.split()
    if len(words) < 2:
        return (" ".join(words), "")
    return (" ".join(words[:-1]), words[-1])


def split_address(text: str) -> dict[str, str]:
    """An address typed in one box, as the profile's fields: the first line, the rest,
    the town (the line before the postcode) and the postcode."""
    parts = [p.strip() for line in text.splitlines() for p in line.split(",") if p.strip()]
    postcode = ""
    if parts and (found := POSTCODE.search(parts[-1])):
        postcode = f"{found[1]} {found[2]}".upper()
        rest = parts[-1][: found.start()].strip()
        parts = parts[:-1] + ([rest] if rest else [])
    town = parts.pop() if len(parts) >= 2 else ""
    return {
        "address_line_1": parts[0][:200] if parts else "",
        "address_line_2": ", ".join(parts[1:])[:200],
        "town": town[:100],
        "postcode": postcode[:10],
    }


def _profile_address(customer: Customer) -> dict[str, str]:
    return {
        "address_line_1": customer.address_line_1,
        "address_line_2": customer.address_line_2,
        "town": customer.town,
        "postcode": customer.postcode,
    }


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _phone_digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit() or c == "+")


def _offer(customer: Customer, slug: str, value: Any) -> Offer | None:
    """The offer for one answer, or None when the profile already says the same."""
    label = str(LABELS[slug])
    if slug == "full_name":
        if _same_text(value, customer.full_name):
            return None
        return Offer(slug, label, value, customer.full_name)
    if slug == "date_of_birth":
        given = date.fromisoformat(value)
        if given == customer.date_of_birth:
            return None
        current = customer.date_of_birth
        return Offer(
            slug,
            label,
            date_format(given, "j F Y"),
            date_format(current, "j F Y") if current else "",
        )
    if slug == "ni_number":
        if normalise_nino(value) == (customer.ni_number or ""):
            return None
        return Offer(slug, label, capfirst(mask_nino(value)), capfirst(customer.masked_ni_number))
    if slug == "address":
        given = split_address(value)
        held = _profile_address(customer)
        if all(_same_text(given[k], held[k]) for k in given):
            return None
        return Offer(
            slug, label, "\n".join(v for v in given.values() if v),
            "\n".join(customer.address_lines),
        )  # fmt: skip
    if slug == "phone":
        if _phone_digits(value) == _phone_digits(customer.phone):
            return None
        return Offer(slug, label, value, customer.phone)
    return None


def profile_offers(*, customer: Customer, answers: dict[str, Any]) -> list[Offer]:
    """What a sent application says about the person that their profile does not."""
    offers = []
    for slug in IDENTITY:
        value = answers.get(slug)
        if isinstance(value, str) and value.strip():
            offer = _offer(customer, slug, value.strip())
            if offer is not None:
                offers.append(offer)
    return offers
