"""Putting the export together: every section, then one ZIP.

The ZIP holds:

- ``data.json``: every section (``registry.SECTIONS``), valid against ``schema.json``;
- ``schema.json``: the JSON Schema it follows (docs/data-export.md explains each field);
- ``summary.pdf``: the same, for reading (``pdf``);
- ``documents/…`` and ``messages/…``: the files the person sent, named in ``data.json``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

import jsonschema
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from django.utils import translation

from accounts.models import Customer
from representatives.export import registry
from representatives.export.pdf import render_summary

SCHEMA_PATH = Path(__file__).with_name("schema.json")
FORMAT_VERSION = "1.0"


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text())


def collect(
    customer: Customer, *, made_at: datetime, progress: Callable[[int], None]
) -> tuple[dict[str, Any], dict[str, FieldFile]]:
    """Every section's data, as JSON-ready values (dates as ISO text, money as text), and
    the files they name. ``progress`` is told how far it has got, up to 70."""
    steps = registry.collectors()
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "made_at": made_at,
        "customer_reference": customer.reference,
    }
    files: dict[str, FieldFile] = {}
    # Words a section carries (the access log's "A caseworker", a fact's label) are in the
    # person's language, whatever the worker's.
    with translation.override(customer.preferred_language or None):
        for done, (name, collect_section) in enumerate(steps, start=1):
            found = collect_section(customer)
            data[name] = found.data
            files.update(found.files)
            progress(70 * done // len(steps))
    # Through JSON and back: what the schema checks and the PDF reads is what the file holds.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder)), files


def build_zip(
    customer: Customer, *, made_at: datetime, language: str, progress: Callable[[int], None]
) -> IO[bytes]:
    """The ZIP in a temporary file, rewound; the caller keeps or closes it."""
    data, files = collect(customer, made_at=made_at, progress=progress)
    # A file whose record stays after the file went (deleted under the retention schedule,
    # say) is named as null rather than failing the whole download.
    missing = {path for path, kept in files.items() if not kept.storage.exists(kept.name or "")}
    if missing:
        data = _without_files(data, missing)
        files = {path: kept for path, kept in files.items() if path not in missing}
    # A section that does not say what the schema says is a bug here, never the person's
    # download: refuse to make it.
    jsonschema.validate(data, schema())
    out = tempfile.TemporaryFile()  # noqa: SIM115  (returned to the caller, who closes it)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("schema.json", SCHEMA_PATH.read_text())
        for done, (path, kept) in enumerate(sorted(files.items()), start=1):
            with kept.open("rb") as source, archive.open(path, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
            progress(70 + 20 * done // len(files))
        progress(90)
        archive.writestr("summary.pdf", render_summary(data, language=language, made_at=made_at))
    progress(95)
    out.seek(0)
    return out


def _without_files(value: Any, missing: set[str]) -> Any:
    if isinstance(value, dict):
        return {
            key: None if key == "file" and item in missing else _without_files(item, missing)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_files(item, missing) for item in value]
    return value


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()
