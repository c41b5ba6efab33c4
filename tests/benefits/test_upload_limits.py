"""A file too big is refused as it arrives: the server stops reading, the disk never holds
more than the limit, and the person is told the limit.

Django counts only form fields against ``DATA_UPLOAD_MAX_MEMORY_SIZE``, never file data, so
without a guard of our own a 2 GB body is streamed to a temporary file before the content
checks refuse it. These tests send a body that is made as it is read (never held whole) and
count what the server reads and what reaches the temporary upload directory.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory
from django.urls import reverse

from benefits.evidence.checks import MAX_UPLOAD_BYTES
from benefits.models import Document
from tests.claim_factory import png_bytes, sent_claim
from tests.helpers import attr, error_summary, one, text_of

MB = 1024 * 1024
BOUNDARY = "portal-test-boundary"


def on_disk(directory: Path) -> int:
    total = 0
    for entry in os.scandir(directory):
        # A file closed (and so deleted) between listing and looking counts for nothing.
        with contextlib.suppress(FileNotFoundError):
            total += entry.stat().st_size
    return total


class StreamedUpload:
    """A multipart/form-data body with one file, made as the server reads it.

    The file is a real PNG followed by zeros up to ``file_size`` (Pillow stops reading at
    IEND, so the content checks accept it). After every read it notes how many bytes are
    in ``temp_dir``, so a test knows the most that was ever on disk.
    """

    def __init__(self, *, fields: dict[str, str], file_size: int, temp_dir: Path) -> None:
        parts = [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        parts.append(
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="document"; filename="scan.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        picture = png_bytes()
        self.head = "".join(parts).encode() + picture
        self.zeros = file_size - len(picture)
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + self.zeros + len(self.tail)
        self.temp_dir = temp_dir
        self.bytes_read = 0
        self.most_on_disk = 0

    @property
    def environ(self) -> dict[str, object]:
        return {
            "wsgi.input": self,
            "CONTENT_LENGTH": str(self.length),
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        }

    def read(self, size: int | None = -1) -> bytes:
        left = self.length - self.bytes_read
        size = left if size is None or size < 0 else min(size, left)
        start, end = self.bytes_read, self.bytes_read + size
        zeros_end = len(self.head) + self.zeros
        out = (
            self.head[start:end]
            + b"\0" * max(0, min(end, zeros_end) - max(start, len(self.head)))
            + self.tail[max(0, start - zeros_end) : max(0, end - zeros_end)]
        )
        self.bytes_read += len(out)
        self.most_on_disk = max(self.most_on_disk, on_disk(self.temp_dir))
        return out

    def readline(self, size: int | None = -1) -> bytes:  # part of wsgi.input; parsing never uses it
        raise NotImplementedError


@pytest.fixture
def upload_dir(settings, tmp_path) -> Path:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.PORTAL_UPLOAD_SCANNER = "benefits.evidence.scanning.NoScan"
    return tmp_path


@pytest.fixture
def browser(citizen) -> Client:
    """A signed-in citizen's browser that must pass the CSRF check, as a real one does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    return client


def post_streamed(browser: Client, claim, *, file_size: int, temp_dir: Path):
    url = reverse("claims:add_evidence", args=[claim.pk])
    browser.get(url)  # sets the CSRF cookie, as opening the form does
    body = StreamedUpload(
        fields={
            "csrfmiddlewaretoken": browser.cookies["csrftoken"].value,
            "evidence_kind": "other",
        },
        file_size=file_size,
        temp_dir=temp_dir,
    )
    response = browser.post(url, HTTP_REFERER=f"http://testserver{url}", **body.environ)
    return response, body


def test_a_body_declared_bigger_than_the_limit_is_refused_before_any_of_it_is_read(
    browser, citizen, upload_dir
):
    claim = sent_claim(citizen)

    response, body = post_streamed(browser, claim, file_size=300 * MB, temp_dir=upload_dir)

    assert body.bytes_read == 0, f"the server read {body.bytes_read / MB:.1f} MB"
    assert body.most_on_disk == 0
    assert response.status_code == 413
    assert text_of(one(response, "h1")) == "The file you chose is too big"
    assert "Each file must be smaller than 10MB." in text_of(one(response, "main"))
    back = reverse("claims:add_evidence", args=[claim.pk])
    assert attr(response, "a#choose-another", "href") == f"http://testserver{back}"
    assert not Document.objects.filter(claim=claim).exists()


def test_the_too_big_page_links_back_only_to_our_own_pages(browser, citizen, upload_dir):
    body = StreamedUpload(fields={}, file_size=20 * MB, temp_dir=upload_dir)
    url = reverse("claims:add_evidence", args=[sent_claim(citizen).pk])

    response = browser.post(url, HTTP_REFERER="https://elsewhere.example/upload", **body.environ)

    assert response.status_code == 413
    assert attr(response, "a#choose-another", "href") == reverse("portal:home")


def test_a_file_just_over_10mb_gets_the_form_error_and_never_more_than_10mb_on_disk(
    browser, citizen, upload_dir
):
    claim = sent_claim(citizen)

    response, body = post_streamed(
        browser, claim, file_size=MAX_UPLOAD_BYTES + MB // 2, temp_dir=upload_dir
    )

    assert body.most_on_disk <= MAX_UPLOAD_BYTES, f"{body.most_on_disk} bytes were on disk"
    assert on_disk(upload_dir) == 0
    assert response.status_code == 200
    assert error_summary(response) == [
        ("#id_document", "The selected file must be smaller than 10MB")
    ]
    assert not Document.objects.filter(claim=claim).exists()


def test_a_file_of_exactly_10mb_is_still_accepted(browser, citizen, upload_dir):
    claim = sent_claim(citizen)

    response, body = post_streamed(browser, claim, file_size=MAX_UPLOAD_BYTES, temp_dir=upload_dir)

    assert response.status_code == 302
    assert body.bytes_read == body.length
    assert Document.objects.get(claim=claim).size == MAX_UPLOAD_BYTES
    assert on_disk(upload_dir) == 0


def test_the_upload_handler_alone_refuses_a_declared_oversized_body_before_reading(
    browser, citizen, upload_dir, settings
):
    # Should the middleware be missing or moved below something that reads the form, the
    # upload handler checks the declared length itself, before the parser reads a byte.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequestSizeLimit" not in m]
    claim = sent_claim(citizen)

    response, body = post_streamed(browser, claim, file_size=300 * MB, temp_dir=upload_dir)

    assert body.bytes_read == 0, f"the server read {body.bytes_read / MB:.1f} MB"
    assert response.status_code == 413
    assert text_of(one(response, "h1")) == "The file you chose is too big"


def test_a_body_longer_than_it_declares_is_cut_off_soon_after_the_limit(upload_dir):
    # A WSGI server hands Django at most CONTENT_LENGTH bytes, but the handler does not rely
    # on it: it counts what arrives and stops reading, without draining the rest.
    body = StreamedUpload(
        fields={"evidence_kind": "other"}, file_size=300 * MB, temp_dir=upload_dir
    )
    request = RequestFactory().post("/", content_type=f"multipart/form-data; boundary={BOUNDARY}")
    meta = {**request.META, "CONTENT_LENGTH": "4096"}  # a lie

    post, files = MultiPartParser(meta, body, request.upload_handlers).parse()

    assert body.bytes_read < MAX_UPLOAD_BYTES + 2 * MB, f"read {body.bytes_read / MB:.1f} MB"
    assert body.most_on_disk <= MAX_UPLOAD_BYTES
    assert on_disk(upload_dir) == 0
    assert "document" not in files
    assert post["evidence_kind"] == "other"


def test_the_streamed_body_helper_makes_the_body_it_declares(tmp_path):
    body = StreamedUpload(fields={"a": "b"}, file_size=200_000, temp_dir=tmp_path)
    whole = io.BytesIO()
    while chunk := body.read(7_777):
        whole.write(chunk)

    assert len(whole.getvalue()) == body.length
    assert whole.getvalue().startswith(b"--" + BOUNDARY.encode())
    assert whole.getvalue().endswith(f"--{BOUNDARY}--\r\n".encode())
    assert whole.getvalue().count(b"\x89PNG") == 1
