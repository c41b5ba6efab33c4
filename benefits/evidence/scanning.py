"""Virus scanning: ``get_scanner()`` returns the scanner named by ``PORTAL_UPLOAD_SCANNER``."""

from __future__ import annotations

import logging
import socket
import struct
from typing import IO, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from benefits.evidence.errors import UploadRejected

logger = logging.getLogger(__name__)


class Scanner(Protocol):
    def scan(self, stream: IO[bytes]) -> None: ...


def get_scanner() -> Scanner:
    path = getattr(settings, "PORTAL_UPLOAD_SCANNER", "benefits.evidence.scanning.NoScan")
    return import_string(path)()


class NoScan:
    """Accepts everything: for development and tests, where no clamd runs."""

    def scan(self, stream: IO[bytes]) -> None:
        return None


class ClamdScan:
    """Scans with ClamAV's daemon over its INSTREAM protocol (TCP or unix socket).

    An infected file and a failed check are both refused: a file we could not scan is not
    shown to staff as if it were clean.
    """

    chunk_size = 64 * 1024

    def __init__(
        self,
        *,
        host: str | None = None,
        port: int | None = None,
        socket_path: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.socket_path = socket_path or getattr(settings, "CLAMD_SOCKET", None)
        # The settings hold "" for a variable that is not set: that means the default too.
        self.host = host or getattr(settings, "CLAMD_HOST", "") or "localhost"
        self.port = int(port or getattr(settings, "CLAMD_PORT", 3310))
        self.timeout = float(timeout or getattr(settings, "CLAMD_TIMEOUT", 30))

    def scan(self, stream: IO[bytes]) -> None:
        try:
            reply = self._instream(stream)
        except OSError as error:  # refused, reset, timed out (TimeoutError is an OSError)
            logger.error("Virus scan failed: could not talk to clamd (%s)", error)
            raise _could_not_check() from error

        if reply == "stream: OK":
            return
        if reply.startswith("stream: ") and reply.endswith(" FOUND"):
            signature = reply.removeprefix("stream: ").removesuffix(" FOUND")
            logger.warning("Upload rejected: virus scan found %s", signature)
            raise UploadRejected(gettext("The selected file contains a virus"), code="virus")
        # e.g. "INSTREAM size limit exceeded. ERROR" (clamd's StreamMaxLength).
        logger.error("Virus scan failed: unexpected reply from clamd %r", reply[:200])
        raise _could_not_check()

    def _connect(self) -> socket.socket:
        if self.socket_path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(self.socket_path)
            except OSError:
                sock.close()
                raise
            return sock
        return socket.create_connection((self.host, self.port), timeout=self.timeout)

    def _instream(self, stream: IO[bytes]) -> str:
        with self._connect() as sock:
            # The "z" prefix asks for NUL-terminated replies.
            sock.sendall(b"zINSTREAM\0")
            while chunk := stream.read(self.chunk_size):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = bytearray()
            while b"\0" not in reply and len(reply) < 4096:
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
        return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _could_not_check() -> UploadRejected:
    return UploadRejected(
        gettext("We could not check the file for viruses. Try again later"), code="scan_failed"
    )
