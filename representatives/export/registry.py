"""The sections of a person's data export, and who fills each one.

Every section named in ``SECTIONS`` is in every export (an empty list when the person has
no such records), in this order, and described in ``schema.json``. Each is filled by one
collector: a function of the customer that reads their records with a handful of queries
(set-based: never a query per row) and returns plain JSON-ready data, with the files to
put beside it.

The apps below representatives (accounts, notifications, benefits) are read directly by
``representatives.export.sections``. The apps above it register their own sections in
``AppConfig.ready()``, so this app never imports them::

    register_section("appointments", export.collect_appointments)

Registering a section again replaces its collector only with ``replace=True``: the
consent records' collector takes the place of the empty default that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

    from accounts.models import Customer


#: Every section of ``data.json``, in order. ``profile`` is an object, the others lists.
SECTIONS = (
    "profile",
    "household",
    "facts",
    "claims",
    "decisions",
    "statements",
    "payments",
    "documents",
    "messages",
    "appointments",
    "journeys",
    "notifications",
    "representatives",
    "consents",
    "access_log",
)


@dataclass
class Collected:
    """What a collector found: the section's data, and the files to put in the ZIP.

    ``files`` maps a path inside the ZIP (which the records name, so a reader can find
    the file) to the kept file to copy there.
    """

    data: list[dict[str, Any]] | dict[str, Any]
    files: dict[str, FieldFile] = field(default_factory=dict)


Collector = Callable[["Customer"], Collected]

_COLLECTORS: dict[str, Collector] = {}


def register_section(name: str, collect: Collector, *, replace: bool = False) -> None:
    """Let ``collect`` fill the section ``name`` of every export."""
    if name not in SECTIONS:
        raise ImproperlyConfigured(f"No export section {name!r}: add it to SECTIONS and schema")
    if name in _COLLECTORS and not replace and _COLLECTORS[name] is not collect:
        raise ImproperlyConfigured(f"The export section {name!r} is filled already")
    _COLLECTORS[name] = collect


def register_default(name: str, collect: Collector) -> None:
    """Fill ``name`` with ``collect`` unless a collector is registered for it already."""
    if name not in _COLLECTORS:
        register_section(name, collect)


def collectors() -> list[tuple[str, Collector]]:
    """Every section with its collector, in order; fails loudly if one has none, so an
    export is never made with a section silently missing."""
    missing = [name for name in SECTIONS if name not in _COLLECTORS]
    if missing:
        raise ImproperlyConfigured(f"No collector registered for export sections {missing}")
    return [(name, _COLLECTORS[name]) for name in SECTIONS]


_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def file_path(folder: str, pk: int, original_name: str) -> str:
    """Where a kept file goes in the ZIP: ``folder/<id>-<name>``. The name is the one the
    person gave, reduced to its last part and to letters, digits, dots, dashes and spaces,
    so no name can reach outside its folder or confuse an unzip tool."""
    name = _UNSAFE.sub("_", PurePosixPath(original_name.replace("\\", "/")).name).strip(" .")
    return f"{folder}/{pk}-{name[:100] or 'file'}"
