"""Removing location and camera data from photos before they are kept.

A photo is decoded and encoded again with Pillow, so only what we choose survives: the
picture, turned upright as its EXIF orientation says (phones store many photos on their side
and leave the turning to viewers), its colour profile, transparency and resolution. Nothing
else of the original file is copied: EXIF (location, camera, dates), XMP, IPTC, comments,
PNG text, time and private chunks, thumbnails, and pictures appended after the end of a JPEG
(phones' multi-picture files carry EXIF of their own). A JPEG is encoded with the original's
quantisation tables and chroma subsampling, so its quality and size barely change; a PNG is
lossless.

An image Pillow cannot decode is refused (``UploadRejected``), never kept as it came: the
content checks verify structure, but only decoding proves the pixels can be read.

PDFs are kept byte for byte, with their document information (author, software, dates) and
XMP: rewriting one would break a signed statement's digital signature and could change what
it shows. Any other type is refused, as there is no way to clean it.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from django.utils.translation import gettext
from PIL import Image, ImageOps, JpegImagePlugin

from benefits.evidence.errors import UploadRejected

logger = logging.getLogger(__name__)

_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}


def strip_metadata(content_type: str, data: bytes) -> bytes:
    """The image encoded again without its metadata, upright; a PDF as it is.

    Raises ``UploadRejected`` for an image that cannot be decoded and for any other type.
    """
    if content_type == "application/pdf":
        return data
    pillow_format = _PILLOW_FORMATS.get(content_type)
    if pillow_format is None:
        raise UploadRejected(
            gettext("The selected file must be a PDF, JPG or PNG"), code="invalid_type"
        )
    try:
        return _encode_again(data, pillow_format)
    except Exception as error:
        # Pillow's decoders fail on malformed input with OSError, SyntaxError, ValueError,
        # EOFError, struct.error and others: all mean we cannot vouch for the picture.
        logger.info("Upload rejected: image could not be decoded (%s)", type(error).__name__)
        raise UploadRejected(
            gettext("The selected file could not be opened. It may be damaged"), code="damaged"
        ) from error


def _encode_again(data: bytes, pillow_format: str) -> bytes:
    with Image.open(io.BytesIO(data), formats=[pillow_format]) as original:
        original.load()
        keep: dict[str, Any] = {
            name: original.info[name]
            for name in ("icc_profile", "dpi", "transparency")
            if original.info.get(name) is not None
        }
        if isinstance(original, JpegImagePlugin.JpegImageFile):
            keep.pop("transparency", None)
            keep["qtables"] = original.quantization
            keep["subsampling"] = JpegImagePlugin.get_sampling(original)
        picture = ImageOps.exif_transpose(original)  # a new image, upright
        # Pillow's encoders read some metadata (a JPEG comment, a PNG colour profile) from
        # the image's own info when it is not given: start from nothing.
        picture.info = {}
        out = io.BytesIO()
        picture.save(out, format=pillow_format, **keep)
    return out.getvalue()
