"""Serving a kept file (a claim's document, a message's attachment): never inline by
default, never sniffed, sandboxed."""

from __future__ import annotations

from typing import Protocol

from django.db.models.fields.files import FieldFile
from django.http import FileResponse


class KeptFile(Protocol):
    """What serving needs of a kept upload: ``benefits.models.Document`` and
    ``conversations.models.Attachment`` both have it."""

    @property
    def file(self) -> FieldFile: ...

    @property
    def content_type(self) -> str: ...

    @property
    def original_name(self) -> str: ...


def serve_document(document: KeptFile, *, inline: bool = False) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, as_attachment=not inline,
        filename=document.original_name,
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
