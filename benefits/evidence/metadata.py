"""Removing location and camera data from photos before they are kept."""

from __future__ import annotations

# --- Removing location and camera data from photos ------------------------------------------
#
# Done losslessly, by dropping metadata blocks rather than re-encoding the picture: JPEG
# APP1 (Exif, XMP), APP13 (IPTC/Photoshop) and comment segments; PNG eXIf and text chunks.

_JPEG_DROP = {0xE1, 0xED, 0xFE}  # APP1, APP13, COM
_PNG_DROP = {b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"}


def strip_metadata(content_type: str, data: bytes) -> bytes:
    """The image without its metadata (location, camera, dates); other files unchanged."""
    if content_type == "image/jpeg":
        return _strip_jpeg(data)
    if content_type == "image/png":
        return _strip_png(data)
    return data


def _strip_jpeg(data: bytes) -> bytes:
    if data[:2] != b"\xff\xd8":
        return data
    out, i = [data[:2]], 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data  # not the structure we expect: keep the file as it was checked
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the picture itself follows, copied as it is
            out.append(data[i:])
            return b"".join(out)
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            out.append(data[i : i + 2])
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            return data
        if marker not in _JPEG_DROP:
            out.append(data[i : i + 2 + length])
        i += 2 + length
    return data


def _strip_png(data: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        return data
    out, i = [signature], len(signature)
    while i + 12 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            return data
        if kind not in _PNG_DROP:
            out.append(data[i:end])
        i = end
        if kind == b"IEND":
            return b"".join(out)
    return data
