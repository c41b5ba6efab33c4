"""Checking a citizen's evidence upload by its content before it is accepted.

``check_upload(uploaded)`` is the one entry point: it measures, hashes, identifies (by magic
bytes, never by the name or the browser's content type), parses and scans the file, and
either returns a ``CheckedUpload`` or raises ``UploadRejected`` whose ``message`` is a
translated sentence to show the citizen (and whose ``code`` suits a form's
``ValidationError``).

Settings (read when used, with these defaults):

``PORTAL_UPLOAD_SCANNER``
    Dotted path to the scanner class, default ``"benefits.evidence.scanning.NoScan"``. Production
    uses ``"benefits.evidence.scanning.ClamdScan"``. A scanner is any class whose instances have
    ``scan(stream) -> None`` and raise ``UploadRejected`` for an infected file or a failed
    check.
``CLAMD_SOCKET``
    Path of clamd's unix socket; when set it wins over host and port. Default ``None``.
``CLAMD_HOST`` / ``CLAMD_PORT``
    clamd's TCP address, default ``"localhost"`` and ``3310``.
``CLAMD_TIMEOUT``
    Seconds to wait for clamd on each socket operation, default ``30``.
"""

from __future__ import annotations

import hashlib
import logging
import os.path
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from PIL import Image
from pypdf import PasswordType, PdfReader

from benefits.evidence.errors import UploadRejected
from benefits.evidence.scanning import get_scanner

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

# How the types are named to citizens, and which Pillow decoder may read each image.
_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Extensions that claim a type. A name ending in one of these must agree with the content;
# any other ending (".txt", ".scan", none) claims nothing, since the stored name is ours.
_EXTENSION_ALIASES = {"jpeg": "jpg", "jpe": "jpg", "jfif": "jpg", "tiff": "tif", "htm": "html"}
_KNOWN_EXTENSIONS = (
    {kind.extension.lower() for kind in filetype.types}
    | set(_EXTENSION_ALIASES)
    | {"txt", "html", "svg", "heif", "bat", "cmd", "js", "msi", "scr", "dll", "sh"}
)
_HEAD_BYTES = 8192  # filetype reads at most this many bytes
_MAX_NAME_LENGTH = 200
_MAX_KEPT_EXTENSION = 16  # a longer "extension" is just the end of a long name
# Bidirectional embeddings, overrides and isolates reorder what people see
# ("invoice\u202egnp.exe" displays as "invoiceexe.png"); other format characters such as
# the zero-width joiner are needed by emoji and some scripts and are kept.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str
    stored_name: str


def check_upload(uploaded: UploadedFile) -> CheckedUpload:
    """Accept ``uploaded`` only if its content is a sound PDF, JPEG or PNG and scans clean.

    The file is rewound before returning, so the caller can save it as it is.
    """
    size, sha256, head = _measure(uploaded)
    content_type = _detect_type(head)
    extension = ALLOWED[content_type]
    original_name = safe_display_name(uploaded.name or "", fallback_extension=extension)
    _check_extension_agrees(original_name, content_type)

    uploaded.seek(0)
    if content_type == "application/pdf":
        _verify_pdf(uploaded)
    else:
        _verify_image(uploaded, content_type)

    uploaded.seek(0)
    get_scanner().scan(uploaded)

    uploaded.seek(0)
    return CheckedUpload(
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=sha256,
        original_name=original_name,
        stored_name=f"{uuid.uuid4().hex}.{extension}",
    )


def _measure(uploaded: UploadedFile) -> tuple[int, str, bytes]:
    """Return size, SHA-256 and first bytes, reading chunk by chunk and stopping past the limit."""
    # The declared size is what the upload handler counted; refuse early when it is too big,
    # but still count for ourselves, since a file object can be bigger than it says.
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise too_large()
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in uploaded.chunks():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise too_large()
        digest.update(chunk)
        if len(head) < _HEAD_BYTES:
            head += chunk[: _HEAD_BYTES - len(head)]
    if size == 0:
        raise UploadRejected(gettext("The selected file is empty"), code="empty")
    return size, digest.hexdigest(), head


def too_large() -> UploadRejected:
    return UploadRejected(
        gettext("The selected file must be smaller than %(size)sMB")
        % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        code="too_large",
    )


def _detect_type(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise UploadRejected(
            gettext("The selected file must be a PDF, JPG or PNG"), code="invalid_type"
        )
    return kind.mime


def _check_extension_agrees(name: str, content_type: str) -> None:
    _stem, dot_extension = os.path.splitext(name)
    claimed = dot_extension[1:].casefold()
    if claimed not in _KNOWN_EXTENSIONS:
        return
    if _EXTENSION_ALIASES.get(claimed, claimed) == ALLOWED[content_type]:
        return
    raise UploadRejected(
        gettext(
            "The selected file is a %(type)s but its name ends in .%(extension)s. "
            "Rename it or choose another file"
        )
        % {"type": _LABELS[content_type], "extension": claimed},
        code="misleading_extension",
    )


def _damaged() -> UploadRejected:
    return UploadRejected(
        gettext("The selected file could not be opened. It may be damaged or password protected"),
        code="damaged",
    )


def _verify_image(stream: IO[bytes], content_type: str) -> None:
    pillow_format = _PILLOW_FORMATS[content_type]
    try:
        # formats=: only the decoder matching the magic bytes may parse the file.
        with Image.open(stream, formats=[pillow_format]) as image:
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; refuse here rather
            # than change the process-wide warning filters, which are not thread-safe.
            width, height = image.size
            if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
                raise _damaged()
            image.verify()
        if pillow_format == "JPEG":
            # verify() does not read JPEG scan data; decoding at 1/8 scale is cheap and
            # catches truncated photos, the usual result of an interrupted transfer.
            stream.seek(0)
            with Image.open(stream, formats=[pillow_format]) as image:
                image.draft(None, (max(1, width // 8), max(1, height // 8)))
                image.load()
    except UploadRejected:
        raise
    except Exception as error:
        # Besides OSError and DecompressionBombError, Pillow's parsers fail on malformed
        # input with SyntaxError, ValueError, EOFError, struct.error and others.
        logger.info("Upload rejected: image failed verification (%s)", type(error).__name__)
        raise _damaged() from error


def _verify_pdf(stream: IO[bytes]) -> None:
    try:
        reader = PdfReader(stream)
        # Many bank statements are encrypted with only an owner password (to stop editing)
        # and open without one; a PDF that needs a password to read is refused.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _damaged()
        page_count = len(reader.pages)
    except UploadRejected:
        raise
    except Exception as error:
        # A parser fed hostile input can fail in many ways (PdfReadError, KeyError,
        # RecursionError, ...); all of them mean we cannot vouch for the file.
        logger.info("Upload rejected: PDF failed verification (%s)", type(error).__name__)
        raise _damaged() from error
    if page_count < 1:
        raise _damaged()


def safe_display_name(name: str, *, fallback_extension: str) -> str:
    """The user's file name made safe to display: never use it as a path."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        char
        for char in name
        if unicodedata.category(char) not in {"Cc", "Cs", "Zl", "Zp"} and char not in _BIDI_CONTROLS
    )
    name = name.strip()
    if name in {"", ".", ".."}:
        return f"upload.{fallback_extension}"
    if len(name) <= _MAX_NAME_LENGTH:
        return name
    stem, extension = os.path.splitext(name)
    if len(extension) > _MAX_KEPT_EXTENSION:
        stem, extension = name, ""
    # Cutting may split a character sequence; drop a dangling joiner or space at the cut.
    stem = stem[: _MAX_NAME_LENGTH - len(extension)].rstrip(" \u200d")
    return stem + extension
