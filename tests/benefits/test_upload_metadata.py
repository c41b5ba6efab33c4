"""Photos lose their location and camera data before they are kept; the pixels do not change."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from benefits.claims import documents as claim_documents
from benefits.evidence.metadata import strip_metadata
from tests.claim_factory import pdf_bytes, sent_claim

GPS_IFD = 0x8825


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (32, 16), "teal")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (51.0, 28.0, 40.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"taken at home")
    return buffer.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "12 Station Road, Leeds")
    buffer = io.BytesIO()
    image = Image.new("RGB", (8, 8), "navy")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    image.save(buffer, format="PNG", pnginfo=info, exif=exif)
    return buffer.getvalue()


def test_a_jpeg_loses_its_exif_location_and_comment_but_keeps_its_pixels():
    original = jpeg_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get(GPS_IFD) is not None

    stripped = strip_metadata("image/jpeg", original)

    kept = Image.open(io.BytesIO(stripped))
    assert not kept.getexif()
    assert b"taken at home" not in stripped
    assert kept.tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_a_png_loses_its_text_and_exif_chunks_but_keeps_its_pixels():
    original = png_with_text()

    stripped = strip_metadata("image/png", original)

    kept = Image.open(io.BytesIO(stripped))
    assert "Location" not in kept.info
    assert b"Station Road" not in stripped
    assert b"eXIf" not in stripped
    assert kept.tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_pdfs_and_damaged_images_are_kept_as_they_are():
    pdf = pdf_bytes()
    assert strip_metadata("application/pdf", pdf) == pdf
    assert strip_metadata("image/jpeg", b"\xff\xd8\xff\xe1\x00") == b"\xff\xd8\xff\xe1\x00"
    assert strip_metadata("image/png", b"\x89PNG\r\n\x1a\n\x00\x00") == b"\x89PNG\r\n\x1a\n\x00\x00"


@pytest.mark.django_db
def test_the_stored_photo_has_no_location_and_the_receipt_keeps_both_checksums(citizen):
    original = jpeg_with_location()
    claim = sent_claim(citizen)

    document = claim_documents.add_document(
        claim=claim, by=citizen, evidence_kind="Payslips",
        uploaded=SimpleUploadedFile("photo.jpg", original, "image/jpeg"),
    )  # fmt: skip

    stored = document.file.open("rb").read()
    assert document.sha256 == hashlib.sha256(original).hexdigest()  # what the person sent
    assert document.stored_sha256 == hashlib.sha256(stored).hexdigest()  # what we keep
    assert document.sha256 != document.stored_sha256
    assert not Image.open(io.BytesIO(stored)).getexif()
