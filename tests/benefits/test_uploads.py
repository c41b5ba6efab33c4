"""Evidence uploads are accepted by content: type, soundness, size, scan and a safe name."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import socket
import struct
import threading
import unicodedata
import zlib

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from benefits.evidence.checks import (
    MAX_UPLOAD_BYTES,
    CheckedUpload,
    check_upload,
    safe_display_name,
)
from benefits.evidence.errors import UploadRejected
from benefits.evidence.scanning import ClamdScan, NoScan, get_scanner

# --- Real files, made in memory ----------------------------------------------------------


def make_pdf(*, pages: int = 1, user_password: str | None = None, owner_password=None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if user_password is not None:
        writer.encrypt(user_password, owner_password, algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_image(image_format: str, *, size=(32, 24), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color=0).save(buffer, format=image_format)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed, tiny PNG whose header claims the given dimensions."""
    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + png_chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def rejection(uploaded) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check_upload(uploaded)
    return caught.value


@pytest.fixture(autouse=True)
def no_scanner(settings):
    settings.PORTAL_UPLOAD_SCANNER = "benefits.evidence.scanning.NoScan"


# --- Accepted files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type", "extension"),
    [
        ("payslip.pdf", make_pdf(), "application/pdf", "pdf"),
        ("letter.pdf", make_pdf(pages=3), "application/pdf", "pdf"),
        ("photo.png", make_image("PNG"), "image/png", "png"),
        ("photo.jpg", make_image("JPEG"), "image/jpeg", "jpg"),
        ("photo.jpeg", make_image("JPEG"), "image/jpeg", "jpg"),
        ("PHOTO.JPG", make_image("JPEG"), "image/jpeg", "jpg"),
        ("grey scan.jpg", make_image("JPEG", mode="L"), "image/jpeg", "jpg"),
        ("print shop.jpg", make_image("JPEG", mode="CMYK"), "image/jpeg", "jpg"),
        ("scan", make_image("PNG"), "image/png", "png"),
        ("Mr. Jones", make_pdf(), "application/pdf", "pdf"),
    ],
)
def test_sound_file_is_accepted_with_type_from_content(name, content, content_type, extension):
    checked = check_upload(upload(name, content))

    assert checked == CheckedUpload(
        content_type=content_type,
        extension=extension,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
        stored_name=checked.stored_name,
    )
    assert re.fullmatch(rf"[0-9a-f]{{32}}\.{extension}", checked.stored_name)


def test_browser_content_type_is_ignored():
    checked = check_upload(upload("photo.png", make_image("PNG"), content_type="application/pdf"))

    assert checked.content_type == "image/png"


def test_stored_name_is_new_for_every_upload():
    content = make_pdf()

    first = check_upload(upload("a.pdf", content))
    second = check_upload(upload("a.pdf", content))

    assert first.stored_name != second.stored_name
    assert first.sha256 == second.sha256


def test_file_is_rewound_so_the_caller_can_save_it():
    content = make_pdf()
    uploaded = upload("payslip.pdf", content)

    check_upload(uploaded)

    assert uploaded.read() == content


def test_pdf_with_only_an_owner_password_opens_and_is_accepted():
    # Bank statements often restrict editing this way; they open without a password.
    content = make_pdf(user_password="", owner_password="bank")

    assert check_upload(upload("statement.pdf", content)).content_type == "application/pdf"


def test_file_of_exactly_the_limit_is_accepted():
    image = make_image("PNG")
    content = image + b"\0" * (MAX_UPLOAD_BYTES - len(image))  # Pillow stops at IEND

    assert check_upload(upload("photo.png", content)).size == MAX_UPLOAD_BYTES


# --- Rejected files ----------------------------------------------------------------------

WRONG_TYPE = "The selected file must be a PDF, JPG or PNG"
DAMAGED = "The selected file could not be opened. It may be damaged or password protected"


def test_empty_file_is_rejected():
    error = rejection(upload("payslip.pdf", b""))

    assert (error.code, error.message) == ("empty", "The selected file is empty")


def test_file_over_the_limit_is_rejected():
    error = rejection(upload("big.pdf", b"%PDF-1.7\n" + b"\0" * (MAX_UPLOAD_BYTES - 8)))

    assert (error.code, error.message) == (
        "too_large",
        "The selected file must be smaller than 10MB",
    )


def test_file_bigger_than_its_declared_size_is_rejected():
    content = b"%PDF-1.7\n" + b"\0" * MAX_UPLOAD_BYTES
    uploaded = InMemoryUploadedFile(
        io.BytesIO(content), "evidence", "big.pdf", "application/pdf", size=10, charset=None
    )

    assert rejection(uploaded).code == "too_large"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", b"I earn 200 pounds a week\n"),
        ("payslip.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 64),
        ("photo.gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("photo.png", make_image("WEBP")),
    ],
)
def test_file_whose_content_is_not_pdf_jpeg_or_png_is_rejected(name, content):
    error = rejection(upload(name, content, content_type="application/pdf"))

    assert (error.code, error.message) == ("invalid_type", WRONG_TYPE)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "payslip.pdf",
            make_image("PNG"),
            "The selected file is a PNG but its name ends in .pdf. Rename it or choose another file",
        ),
        (
            "photo.JPEG",
            make_image("PNG"),
            "The selected file is a PNG but its name ends in .jpeg. Rename it or choose another file",
        ),
        (
            "photo.png",
            make_pdf(),
            "The selected file is a PDF but its name ends in .png. Rename it or choose another file",
        ),
        (
            "invoice.exe",
            make_image("JPEG"),
            "The selected file is a JPG but its name ends in .exe. Rename it or choose another file",
        ),
    ],
)
def test_file_whose_name_claims_another_type_is_rejected(name, content, message):
    error = rejection(upload(name, content))

    assert (error.code, error.message) == ("misleading_extension", message)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("truncated.png", make_image("PNG", size=(200, 200))[:-30]),
        ("truncated.jpg", make_image("JPEG", size=(200, 200))[:-200]),
        ("header only.png", make_image("PNG")[:16]),
        ("header only.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("truncated.pdf", make_pdf()[:200]),
        ("no pages.pdf", make_pdf(pages=0)),
        ("locked.pdf", make_pdf(user_password="secret")),
    ],
)
def test_file_that_does_not_open_is_rejected(name, content):
    error = rejection(upload(name, content))

    assert (error.code, error.message) == ("damaged", DAMAGED)


def test_png_with_a_corrupted_chunk_is_rejected():
    content = bytearray(make_image("PNG", size=(64, 64)))
    content[content.index(b"IDAT") + 10] ^= 0xFF  # the chunk's CRC no longer matches

    assert rejection(upload("photo.png", bytes(content))).code == "damaged"


def test_decompression_bomb_png_is_rejected():
    # 100000 × 100000 pixels declared in a file of about a hundred bytes.
    error = rejection(upload("bomb.png", png_declaring(100_000, 100_000)))

    assert (error.code, error.message) == ("damaged", DAMAGED)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_png_over_the_pixel_limit_where_pillow_only_warns_is_rejected():
    side = int(Image.MAX_IMAGE_PIXELS**0.5) + 10  # just over the limit, under twice it

    assert rejection(upload("big.png", png_declaring(side, side))).code == "damaged"


# --- Names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Tystysgrif geni Siân ŵyr.pdf", make_pdf(), "Tystysgrif geni Siân ŵyr.pdf"),
        ("Tystysgrif ŷd.pdf", make_pdf(), "Tystysgrif ŷd.pdf"),
        ("شهادة.pdf", make_pdf(), "شهادة.pdf"),
        ("📄 payslip.png", make_image("PNG"), "📄 payslip.png"),
        ("👩‍👧 family.png", make_image("PNG"), "👩‍👧 family.png"),
        ("../../etc/passwd.png", make_image("PNG"), "passwd.png"),
        ("C:\\Users\\Siân\\Documents\\payslip.pdf", make_pdf(), "payslip.pdf"),
        ("pay\x00slip\r\n\t.pdf", make_pdf(), "payslip.pdf"),
        ("invoice\u202egnp.pdf", make_pdf(), "invoicegnp.pdf"),
        ("  spaced.pdf  ", make_pdf(), "spaced.pdf"),
    ],
)
def test_original_name_is_made_safe_to_display(name, content, expected):
    checked = check_upload(upload(name, content))

    assert checked.original_name == expected


@pytest.mark.parametrize("name", ["", ".", "..", "../..", "dir/", " \x00 "])
def test_name_with_nothing_left_to_show_gets_a_plain_one(name):
    # Django's UploadedFile refuses such names itself; a custom upload handler might not.
    assert safe_display_name(name, fallback_extension="pdf") == "upload.pdf"


def test_path_is_stripped_even_when_django_did_not_strip_it():
    assert safe_display_name("../../etc/passwd.png", fallback_extension="png") == "passwd.png"
    assert safe_display_name("a\\..\\b\\c.pdf", fallback_extension="pdf") == "c.pdf"


def test_decomposed_name_is_normalised_to_composed_form():
    decomposed = unicodedata.normalize("NFD", "Siân ŵyr.pdf")
    assert decomposed != "Siân ŵyr.pdf"

    checked = check_upload(upload(decomposed, make_pdf()))

    assert checked.original_name == "Siân ŵyr.pdf"
    assert unicodedata.is_normalized("NFC", checked.original_name)


def test_long_name_is_cut_to_200_characters_keeping_the_extension():
    checked = check_upload(upload("ŵ" * 300 + ".pdf", make_pdf()))

    assert checked.original_name == "ŵ" * 196 + ".pdf"


def test_stored_name_never_comes_from_the_users_name():
    checked = check_upload(upload("../../etc/passwd.png", make_image("PNG")))

    assert re.fullmatch(r"[0-9a-f]{32}\.png", checked.stored_name)


# --- Scanning ----------------------------------------------------------------------------


class FakeClamd:
    """Answers one INSTREAM request per connection with a fixed reply, recording the bytes."""

    def __init__(self, reply: bytes | None, family=socket.AF_INET, address=("127.0.0.1", 0)):
        self.reply = reply
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.bind(address)
        self.listener.listen()
        self.address = self.listener.getsockname()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        with connection:
            file = connection.makefile("rb")
            self.commands.append(file.read(len(b"zINSTREAM\0")))
            body = bytearray()
            while True:
                (length,) = struct.unpack("!L", file.read(4))
                if length == 0:
                    break
                body += file.read(length)
            self.received.append(bytes(body))
            if self.reply is None:  # never answer: the client must time out
                self.done.wait(5)
            else:
                connection.sendall(self.reply)
        self.done.set()

    def close(self) -> None:
        self.done.set()
        self.listener.close()
        self.thread.join(5)


@pytest.fixture
def fake_clamd():
    servers = []

    def start(reply: bytes | None, **kwargs) -> FakeClamd:
        server = FakeClamd(reply, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def clamd_at(server: FakeClamd, **kwargs) -> ClamdScan:
    host, port = server.address
    return ClamdScan(host=host, port=port, **kwargs)


def test_clamd_clean_reply_accepts_and_receives_the_whole_file(fake_clamd):
    server = fake_clamd(b"stream: OK\0")
    content = bytes(range(256)) * 1000  # several chunks

    clamd_at(server).scan(io.BytesIO(content))

    assert server.commands == [b"zINSTREAM\0"]
    assert server.received == [content]


def test_clamd_found_reply_rejects_and_logs_the_signature_only(fake_clamd, caplog):
    server = fake_clamd(b"stream: Eicar-Signature FOUND\0")
    content = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

    with (
        caplog.at_level(logging.WARNING, logger="benefits.evidence.scanning"),
        pytest.raises(UploadRejected) as caught,
    ):
        clamd_at(server).scan(io.BytesIO(content))

    assert (caught.value.code, caught.value.message) == (
        "virus",
        "The selected file contains a virus",
    )
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "Eicar-Signature" in caplog.text
    assert "EICAR-STANDARD" not in caplog.text


COULD_NOT_CHECK = "We could not check the file for viruses. Try again later"


def test_clamd_error_reply_means_the_file_could_not_be_checked(fake_clamd, caplog):
    server = fake_clamd(b"INSTREAM size limit exceeded. ERROR\0")

    with pytest.raises(UploadRejected) as caught:
        clamd_at(server).scan(io.BytesIO(b"data"))

    assert (caught.value.code, caught.value.message) == ("scan_failed", COULD_NOT_CHECK)
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_clamd_not_listening_means_the_file_could_not_be_checked(caplog):
    with socket.socket() as probe:  # find a free port, then free it again
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(UploadRejected) as caught:
        ClamdScan(host="127.0.0.1", port=port, timeout=2).scan(io.BytesIO(b"data"))

    assert (caught.value.code, caught.value.message) == ("scan_failed", COULD_NOT_CHECK)
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_clamd_that_never_answers_times_out(fake_clamd):
    server = fake_clamd(None)

    with pytest.raises(UploadRejected) as caught:
        clamd_at(server, timeout=0.2).scan(io.BytesIO(b"data"))

    assert caught.value.code == "scan_failed"


def test_clamd_over_a_unix_socket(fake_clamd, tmp_path):
    path = str(tmp_path / "clamd.sock")
    server = fake_clamd(b"stream: OK\0", family=socket.AF_UNIX, address=path)

    ClamdScan(socket_path=path).scan(io.BytesIO(b"data"))

    assert server.received == [b"data"]


def test_clamd_reads_its_address_from_settings(fake_clamd, settings):
    server = fake_clamd(b"stream: OK\0")
    settings.CLAMD_HOST, settings.CLAMD_PORT = server.address
    settings.CLAMD_SOCKET = None

    ClamdScan().scan(io.BytesIO(b"data"))

    assert server.received == [b"data"]


def test_clamd_on_localhost_when_no_host_is_set(fake_clamd, settings):
    # The settings read CLAMD_HOST from the environment with "" when it is not set, and
    # operations.md promises localhost then.
    server = fake_clamd(b"stream: OK\0")
    settings.CLAMD_HOST, settings.CLAMD_SOCKET = "", ""
    settings.CLAMD_PORT = server.address[1]

    ClamdScan().scan(io.BytesIO(b"data"))

    assert server.received == [b"data"]


def test_check_upload_runs_the_configured_scanner(fake_clamd, settings):
    server = fake_clamd(b"stream: Eicar-Signature FOUND\0")
    settings.PORTAL_UPLOAD_SCANNER = "benefits.evidence.scanning.ClamdScan"
    settings.CLAMD_HOST, settings.CLAMD_PORT = server.address
    settings.CLAMD_SOCKET = None
    content = make_pdf()
    uploaded = upload("payslip.pdf", content)

    assert rejection(uploaded).code == "virus"
    assert server.received == [content]


def test_scanner_defaults_to_no_scan(settings):
    del settings.PORTAL_UPLOAD_SCANNER

    assert isinstance(get_scanner(), NoScan)


class RecordingScanner:
    scanned: list[bytes] = []

    def scan(self, stream) -> None:
        RecordingScanner.scanned.append(stream.read())


def test_get_scanner_honours_the_setting(settings):
    settings.PORTAL_UPLOAD_SCANNER = f"{__name__}.RecordingScanner"
    RecordingScanner.scanned = []
    content = make_image("PNG")

    assert isinstance(get_scanner(), RecordingScanner)
    check_upload(upload("photo.png", content))
    assert RecordingScanner.scanned == [content]
