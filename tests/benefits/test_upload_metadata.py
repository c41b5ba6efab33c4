"""Photos lose their location and camera data before they are kept, and come out upright.

Images are encoded again from their pixels, so nothing of the original file rides along;
one that cannot be decoded is refused, never kept as it came. PDFs are kept as sent.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops, ImageCms, ImageStat, PngImagePlugin
from pypdf import PdfReader, PdfWriter

from benefits.claims import documents as claim_documents
from benefits.evidence.checks import check_upload
from benefits.evidence.errors import UploadRejected
from benefits.evidence.metadata import strip_metadata
from benefits.models import Document
from tests.claim_factory import sent_claim

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F
HOME = {1: "N", 2: (51.0, 28.0, 40.0), 3: "W", 4: (0.0, 7.0, 39.0)}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description photoshop:City="Leeds"/></rdf:RDF></x:xmpmeta>'
)
# What a PNG may keep: the picture, its palette and transparency, colour and resolution.
PNG_PICTURE_CHUNKS = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"iCCP", b"pHYs"}
UNREADABLE = "The selected file could not be opened. It may be damaged"


def photo(size=(64, 32)) -> Image.Image:
    """A picture with detail: left half red, right half blue, and a gradient across."""
    width, height = size
    image = Image.new("RGB", size, "blue")
    image.paste(Image.new("RGB", (width // 2, height), "red"))
    gradient = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", [ImageChops.add(band, gradient, 2) for band in image.split()])


def exif(**tags) -> Image.Exif:
    data = Image.Exif()
    data[MAKE] = "PhoneMaker"
    data[GPS_IFD] = HOME
    for key, value in tags.items():
        data[{"orientation": ORIENTATION}[key]] = value
    return data


def jpeg(image: Image.Image | None = None, **options) -> bytes:
    buffer = io.BytesIO()
    (image or photo()).save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


def jpeg_with_location(**tags) -> bytes:
    return jpeg(exif=exif(**tags), comment=b"taken at home", xmp=XMP)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))


def png_chunks(data: bytes) -> list[bytes]:
    kinds, i = [], 8
    while i < len(data):
        (length,) = struct.unpack("!I", data[i : i + 4])
        kinds.append(data[i + 4 : i + 8])
        i += 12 + length
    return kinds


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "12 Station Road, Leeds")
    info.add_text("Comment", "12 Station Road, Leeds (compressed)", zip=True)
    info.add_itxt("Author", "Siân at 12 Station Road, Leeds", lang="cy")
    buffer = io.BytesIO()
    photo((8, 8)).save(buffer, format="PNG", pnginfo=info, exif=exif())
    data = buffer.getvalue()
    # A private ancillary chunk and a time stamp, which decoders skip and keep no trace of.
    extra = png_chunk(b"prVt", b"12 Station Road, Leeds") + png_chunk(
        b"tIME", b"\x07\xea\x0c\x05\x0a\x00\x00"
    )
    return data[:-12] + extra + data[-12:]


def pixels_of(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def difference(a: Image.Image, b: Image.Image) -> float:
    """The mean difference per channel, 0–255."""
    return sum(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean) / 3


def assert_no_location(data: bytes) -> None:
    kept = pixels_of(data)
    assert not kept.getexif()
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data
    assert b"Station Road" not in data
    assert b"Leeds" not in data
    assert b"taken at home" not in data


# --- JPEG ----------------------------------------------------------------------------------


def test_a_photo_taken_sideways_comes_out_upright_without_its_exif():
    # Orientation 6: the camera was turned a quarter clockwise; the stored pixels are on
    # their side and viewers turn them. Without the tag, people and staff see them sideways.
    original = jpeg_with_location(orientation=6)
    assert pixels_of(original).size == (64, 32)

    stripped = strip_metadata("image/jpeg", original)

    kept = pixels_of(stripped)
    assert kept.size == (32, 64)
    top, bottom = kept.getpixel((16, 8)), kept.getpixel((16, 56))
    assert top[0] > 150 > top[2], f"the top should be red, is {top}"
    assert bottom[2] > 150 > bottom[0], f"the bottom should be blue, is {bottom}"
    assert_no_location(stripped)


def test_a_jpeg_loses_exif_xmp_and_comment_but_keeps_its_picture():
    original = jpeg_with_location()
    assert pixels_of(original).getexif().get(GPS_IFD) is not None

    stripped = strip_metadata("image/jpeg", original)

    assert_no_location(stripped)
    assert b"ns.adobe.com/xap" not in stripped
    kept = pixels_of(stripped)
    assert kept.size == (64, 32)
    # Encoded again with the original's quantisation tables: the picture barely changes.
    assert difference(kept, pixels_of(original)) < 1.5
    assert len(stripped) < len(original)


def multi_picture_jpeg() -> bytes:
    buffer = io.BytesIO()
    photo().save(buffer, format="MPO", save_all=True, append_images=[photo()], exif=exif())
    return buffer.getvalue()


@pytest.mark.parametrize(
    "original",
    [jpeg(image=photo()) + jpeg_with_location(), multi_picture_jpeg()],
    ids=["appended", "multi-picture"],
)
def test_a_picture_hidden_after_the_end_of_a_jpeg_is_not_kept(original):
    # Phones append more pictures after the first one's end (multi-picture "MPF" files:
    # depth maps, HDR gain maps), each with EXIF of its own.
    assert original.count(b"\xff\xd8") == 2

    stripped = strip_metadata("image/jpeg", original)

    assert_no_location(stripped)
    assert stripped.count(b"\xff\xd8") == 1


def test_a_jpeg_with_fill_bytes_before_its_exif_loses_it_too():
    # JPEG allows 0xFF fill bytes before a marker; readers skip them and find the EXIF.
    original = jpeg_with_location()
    padded = original[:2] + b"\xff" + original[2:]
    assert pixels_of(padded).getexif().get(GPS_IFD) is not None
    assert check_upload(SimpleUploadedFile("photo.jpg", padded)).content_type == "image/jpeg"

    stripped = strip_metadata("image/jpeg", padded)

    assert_no_location(stripped)


def test_a_jpeg_keeps_its_colour_profile():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original = jpeg(icc_profile=profile, exif=exif())

    stripped = strip_metadata("image/jpeg", original)

    assert pixels_of(stripped).info.get("icc_profile") == profile
    assert_no_location(stripped)


@pytest.mark.parametrize("mode", ["L", "RGB", "CMYK"])
def test_grey_colour_and_print_jpegs_keep_their_mode(mode):
    original = jpeg(image=photo().convert(mode), exif=exif())

    stripped = strip_metadata("image/jpeg", original)

    kept = pixels_of(stripped)
    assert (kept.mode, kept.size) == (mode, (64, 32))
    assert difference(kept, pixels_of(original)) < 1.5
    assert b"PhoneMaker" not in stripped


# --- PNG -----------------------------------------------------------------------------------


def test_a_png_loses_its_text_exif_time_and_private_chunks_but_keeps_its_pixels():
    original = png_with_text()
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"prVt", b"tIME"} <= set(png_chunks(original))

    stripped = strip_metadata("image/png", original)

    assert set(png_chunks(stripped)) <= PNG_PICTURE_CHUNKS
    assert_no_location(stripped)
    assert pixels_of(stripped).tobytes() == pixels_of(original).tobytes()


def test_a_png_turned_by_its_exif_comes_out_upright():
    buffer = io.BytesIO()
    photo().save(buffer, format="PNG", exif=exif(orientation=6))

    kept = pixels_of(strip_metadata("image/png", buffer.getvalue()))

    assert kept.size == (32, 64)
    assert not kept.getexif()


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_pngs_of_every_mode_keep_their_pixels_and_transparency(mode):
    image = photo().convert("RGBA" if mode in {"LA", "RGBA"} else "RGB")
    image = image.convert(mode) if mode != "I;16" else image.convert("L").convert("I;16")
    options = {"transparency": 3} if mode == "P" else {}
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", exif=exif(), **options)
    original = buffer.getvalue()

    stripped = strip_metadata("image/png", original)

    kept, before = pixels_of(stripped), pixels_of(original)
    assert (kept.mode, kept.size) == (before.mode, before.size)
    assert kept.tobytes() == before.tobytes()
    assert kept.info.get("transparency") == before.info.get("transparency")
    assert b"PhoneMaker" not in stripped


# --- Refused, never passed through ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("image/jpeg", b"\xff\xd8\xff\xe1\x00"),
        ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("image/jpeg", jpeg_with_location()[:-400]),  # cut off in the picture data
        ("image/png", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!"),
    ],
)
def test_an_image_that_cannot_be_decoded_is_refused_not_kept_as_sent(content_type, content):
    with pytest.raises(UploadRejected) as caught:
        strip_metadata(content_type, content)

    assert (caught.value.code, caught.value.message) == ("damaged", UNREADABLE)


def test_a_type_with_no_way_to_clean_it_is_refused():
    with pytest.raises(UploadRejected) as caught:
        strip_metadata("image/gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!")

    assert caught.value.code == "invalid_type"


def png_with_broken_picture_data() -> bytes:
    """Every chunk's checksum is right, so the checks pass; the compressed pixels are not."""
    buffer = io.BytesIO()
    photo((64, 64)).save(buffer, format="PNG", exif=exif())
    data = buffer.getvalue()
    start = data.index(b"IDAT") - 4
    (length,) = struct.unpack("!I", data[start : start + 4])
    broken = bytearray(data[start + 8 : start + 8 + length])
    broken[length // 2 : length // 2 + 16] = b"\xff" * 16
    return data[:start] + png_chunk(b"IDAT", bytes(broken)) + data[start + 12 + length :]


@pytest.mark.django_db
def test_a_photo_that_passes_the_checks_but_cannot_be_decoded_is_refused_and_not_kept(
    citizen, settings
):
    settings.PORTAL_UPLOAD_SCANNER = "benefits.evidence.scanning.NoScan"
    content = png_with_broken_picture_data()
    assert check_upload(SimpleUploadedFile("scan.png", content)).content_type == "image/png"
    claim = sent_claim(citizen)
    files_before = set(settings.PRIVATE_FILES_ROOT.rglob("*"))

    with pytest.raises(UploadRejected) as caught:
        claim_documents.add_document(
            claim=claim, by=citizen, evidence_kind="Payslips",
            uploaded=SimpleUploadedFile("scan.png", content, "image/png"),
        )  # fmt: skip

    assert caught.value.message == UNREADABLE
    assert not Document.objects.filter(claim=claim).exists()
    assert set(settings.PRIVATE_FILES_ROOT.rglob("*")) == files_before


# --- PDFs ----------------------------------------------------------------------------------


def test_a_pdf_is_kept_byte_for_byte_with_its_document_information():
    # Rewriting a PDF would break the digital signature of a signed statement and could
    # change what it shows; its author, software and dates stay (docs/security.md).
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Alice Example", "/Producer": "Scanner app"})
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()

    kept = strip_metadata("application/pdf", pdf)

    assert kept == pdf
    assert PdfReader(io.BytesIO(kept)).metadata.author == "Alice Example"


# --- Kept through the service --------------------------------------------------------------


@pytest.mark.django_db
def test_the_stored_photo_has_no_location_and_the_receipt_keeps_both_checksums(citizen):
    original = jpeg_with_location(orientation=6)
    claim = sent_claim(citizen)

    document = claim_documents.add_document(
        claim=claim, by=citizen, evidence_kind="Payslips",
        uploaded=SimpleUploadedFile("photo.jpg", original, "image/jpeg"),
    )  # fmt: skip

    stored = document.file.open("rb").read()
    assert document.sha256 == hashlib.sha256(original).hexdigest()  # what the person sent
    assert document.stored_sha256 == hashlib.sha256(stored).hexdigest()  # what we keep
    assert document.sha256 != document.stored_sha256
    assert_no_location(stored)
    assert pixels_of(stored).size == (32, 64)
