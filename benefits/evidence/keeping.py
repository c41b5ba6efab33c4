"""An upload accepted as it will be kept: checked by its content (``checks``), then cleaned
(``metadata``: photos lose their location and camera data before anyone else can open
them). The one way a claim's evidence and a message's files are taken in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from benefits.evidence.checks import CheckedUpload, check_upload
from benefits.evidence.metadata import strip_metadata


@dataclass(frozen=True)
class AcceptedUpload:
    checked: CheckedUpload
    content: bytes  # as kept: a photo without its metadata

    @property
    def stored_sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def accept_upload(uploaded: UploadedFile) -> AcceptedUpload:
    """Raises ``UploadRejected`` (with the sentence to show) when the file is not acceptable."""
    checked = check_upload(uploaded)
    uploaded.seek(0)
    return AcceptedUpload(checked, strip_metadata(checked.content_type, uploaded.read()))
