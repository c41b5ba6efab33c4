"""Serving a kept document: never inline by default, never sniffed, sandboxed."""

from __future__ import annotations

from django.http import FileResponse

from benefits.models import Document


def serve_document(document: Document, *, inline: bool = False) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, as_attachment=not inline,
        filename=document.original_name,
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
