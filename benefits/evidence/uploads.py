"""Refusing a file that is too big while it arrives, before it fills the disk.

Django counts only form fields against ``DATA_UPLOAD_MAX_MEMORY_SIZE``, never file data: the
upload handlers stream a file of any size to a temporary file, and ``check_upload`` could
only refuse it once the whole body had been read. Two guards come first:

- a body that *declares* itself bigger than ``MAX_REQUEST_BYTES`` is refused before any of
  it is read: by ``portal.middleware.RequestSizeLimitMiddleware`` (a 413 page that explains
  the limit) and, should something read the form before that middleware runs, by
  ``LimitedUploadHandler.handle_raw_input`` (``RequestTooLarge``, shown as the same page);
- ``LimitedUploadHandler``, first in ``FILE_UPLOAD_HANDLERS``, counts the bytes of each file,
  and of all the files in the request, as they arrive. Past ``MAX_UPLOAD_BYTES`` it passes no more of the file on, throws
  away what the other handlers kept, and hands the form a ``TooLargeUpload`` so that the
  person reads "The selected file must be smaller than 10MB" next to the field. Past
  ``MAX_REQUEST_BYTES`` it stops reading (``StopUpload(connection_reset=True)``).

Under WSGI the body Django reads is bounded by the declared length, so after the first guard
a request never brings more than ``MAX_REQUEST_BYTES``; the count is the backstop for a
server that does not bound it. The proxy in front must allow the same size
(docs/operations.md).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from benefits.evidence.checks import MAX_UPLOAD_BYTES, too_large

logger = logging.getLogger(__name__)

# One file at the limit and the form around it (the other fields, names, boundaries).
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024


class RequestTooLarge(RequestDataTooBig):
    """The request declares a body bigger than any upload we accept."""


def declared_length(meta: Mapping[str, Any]) -> int:
    """The body's declared length; as for Django, a missing or bad value means no body."""
    try:
        return max(0, int(meta.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


class TooLargeUpload(UploadedFile):
    """Stands in for a file that went past the limit: its name and size, none of its bytes.

    ``check_upload`` refuses it by its size; anything that tries to read it is refused too,
    so it can never be kept as an empty file.
    """

    def __init__(self, *, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(), name, content_type, size, charset)

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        raise too_large()

    def chunks(self, chunk_size: int | None = None):
        raise too_large()


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of each file and of all the files in a request; stops past the limits."""

    request_bytes = 0
    file_bytes = 0
    over_limit = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        if content_length > MAX_REQUEST_BYTES:
            raise RequestTooLarge(
                f"Request body of {content_length} bytes is over {MAX_REQUEST_BYTES} bytes."
            )
        self.request_bytes = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file_bytes = 0
        self.over_limit = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.file_bytes += len(raw_data)
        self.request_bytes += len(raw_data)
        if self.request_bytes > MAX_REQUEST_BYTES:
            logger.warning("Upload stopped: the request went past %s bytes", MAX_REQUEST_BYTES)
            raise StopUpload(connection_reset=True)
        if self.file_bytes > MAX_UPLOAD_BYTES:
            if not self.over_limit:
                self.over_limit = True
                self._discard_what_the_others_kept()
            return None  # the handlers after this one never see the rest
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if not self.over_limit:
            return None  # the next handler returns the file it kept
        logger.info("Upload refused: a file of %s bytes is over the limit", self.file_bytes)
        return TooLargeUpload(
            name=self.file_name or "upload",
            content_type=self.content_type or "application/octet-stream",
            size=self.file_bytes,
            charset=self.charset,
        )

    def _discard_what_the_others_kept(self) -> None:
        # Closing a TemporaryUploadedFile deletes it. Django's own clean-up after an error
        # assumes the same attribute name ("file") on every handler.
        for handler in getattr(self.request, "upload_handlers", ()):
            kept = getattr(handler, "file", None) if handler is not self else None
            if kept is not None:
                kept.close()
