"""Why an upload is refused, in words for the person and a code for forms."""

from __future__ import annotations


class UploadRejected(Exception):
    """The file cannot be accepted. ``message`` is for the citizen; ``code`` for forms."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
