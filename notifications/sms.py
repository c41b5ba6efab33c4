"""Sending text messages: one function, ``send_sms``, and pluggable backends.

``send_sms(to=…, body=…, reference=…)`` checks the number and the message, then hands them to
the backend named by ``settings.SMS_BACKEND`` (a dotted path; default
``"notifications.sms.FileBackend"``). It returns the provider's message id or raises:

- ``PermanentFailure`` — this message will never be sent: the number is not a UK mobile, the
  body is empty or too long, or the provider refused the number or the content. Record the
  failure; do not retry.
- ``TemporaryFailure`` — try again later with backoff: network error, timeout, provider 5xx,
  rate limit or a daily limit that resets.

Anything else escaping a backend is a bug and should be treated like a temporary failure by
the caller (retry a bounded number of times, then alert).

Backends
--------
- ``FileBackend`` (development) appends one JSON line per message to
  ``settings.SMS_FILE_PATH`` (default ``<DATA_DIR>/sms/outbox.jsonl``).
- ``LocmemBackend`` (tests) appends a ``SentSms`` to the module-level ``outbox`` list; put
  exceptions in ``fail_next`` to make the next sends raise them, in order.

Plugging in a real provider
---------------------------
Subclass ``BaseBackend`` in a new module (say ``notifications/sms_notify.py``), implement
``send`` and point ``SMS_BACKEND`` at it. Nothing else changes: ``send_sms`` has already
normalised ``to`` to E.164 (``+447700900123``) and trimmed ``body``.

``reference`` is our idempotency key (the delivery id): pass it to the provider on every
attempt, so that a retry of a send whose outcome we never learned (a timeout after the
request left) can be recognised as the same message. Check what your provider actually
promises: GOV.UK Notify stores the ``reference`` and lets you search by it, but do not assume
it rejects a second request with the same one. If it does not, look the reference up before
re-sending on a retry and return the existing id when there is one.

For GOV.UK Notify, with ``notifications-python-client`` (not a dependency of this project —
add it when you add the backend), create one SMS template whose whole content is
``((body))`` and send through it::

    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    class NotifyBackend(BaseBackend):
        def __init__(self) -> None:
            # API key and template id come from settings (read them with the typed
            # helpers in portal/settings.py, *_FILE secrets accepted).
            self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
            self.template_id = settings.NOTIFY_SMS_TEMPLATE_ID

        def send(self, *, to: str, body: str, reference: str) -> str:
            try:
                response = self.client.send_sms_notification(
                    phone_number=to,
                    template_id=self.template_id,
                    personalisation={"body": body},
                    reference=reference,
                )
            except HTTPError as error:
                # The client raises HTTPError for every failed request; when no response
                # came back at all (connection error, timeout) its status_code is 503.
                if error.status_code == 400:
                    # ValidationError / BadRequestError: not a UK mobile, missing
                    # personalisation, message too long. Note that a team or trial-mode key
                    # also answers 400 for numbers outside the team: a configuration
                    # problem, so alert on it rather than silently dropping messages.
                    raise PermanentFailure(f"Notify refused the message: {error.message}") from error
                # 403 (bad API key or token: fix the configuration and the retry succeeds),
                # 429 (rate or daily limit) and 5xx/503 (Notify or the network).
                raise TemporaryFailure(f"Notify did not accept the message: {error}") from error
            return response["id"]

A send whose outcome we never learned (the worker died after handing the message over) is
left "uncertain"; ``manage.py outbox_resolve`` then asks the backend's ``find`` whether the
provider has the message under our reference, and sends it again only if it has not. Notify
can be asked (check the client's documentation for the exact call)::

        def find(self, *, reference: str) -> str | None:
            try:
                found = self.client.get_all_notifications(template_type="sms", reference=reference)
            except HTTPError as error:
                raise TemporaryFailure(f"Notify could not be asked: {error}") from error
            messages = found.get("notifications", [])
            return messages[0]["id"] if messages else None

A backend whose provider cannot be asked leaves ``find`` as it is: it raises
``CannotCheck``, and such texts are sent again only when a person chooses to.

The client's other error, ``InvalidResponse`` (a success status with a body that is not
JSON), means Notify probably accepted the message: let it surface as an unexpected error, or
map it to ``TemporaryFailure`` only together with the look-up by reference described above.

Never log or put the phone number or body in exception messages that leave the service:
both are personal data.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts import phone

DEFAULT_BACKEND = "notifications.sms.FileBackend"

# GOV.UK Notify's limit: 918 characters is six concatenated GSM-7 parts (6 x 153). Messages
# using characters outside GSM-7 (Welsh ŵ and ŷ, for example) cost more parts, but the limit
# on length stays the same.
MAX_BODY_LENGTH = 918


class SmsError(Exception):
    """A text message could not be sent."""


class PermanentFailure(SmsError):
    """The message will never be sent: do not retry."""


class TemporaryFailure(SmsError):
    """The message was not sent this time: retry later."""


class CannotCheck(Exception):
    """The provider keeps no record we can ask about: whether a message went is unknown."""


def normalise_uk_mobile(raw: str) -> str:
    """Return a UK mobile number as E.164 (``+447700900123``); see
    ``accounts.phone.normalise_uk_mobile``. Raises ``PermanentFailure`` with the reason."""
    try:
        return phone.normalise_uk_mobile(raw)
    except phone.NotAUkMobile as error:
        raise PermanentFailure(str(error)) from error


class BaseBackend:
    """Sends one text message. Subclass it to plug in a provider (see the module docstring)."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Send ``body`` to ``to`` (E.164) and return the provider's message id.

        ``reference`` is our idempotency key: give it to the provider so a retried send can
        be recognised as the same message. Raise ``PermanentFailure`` or
        ``TemporaryFailure``; never return without having handed the message over.
        """
        raise NotImplementedError

    def find(self, *, reference: str) -> str | None:
        """The provider's id of the message it accepted under ``reference``, or None if it
        has none. Raise ``CannotCheck`` if the provider cannot be asked (the default), or
        ``TemporaryFailure`` if it could not be asked this time."""
        raise CannotCheck("This text message provider cannot be asked what it has sent.")


class FileBackend(BaseBackend):
    """Development: append each message as one JSON line to ``settings.SMS_FILE_PATH``.

    Several worker processes may append to the same file without a lock: the file is opened
    with O_APPEND and each line goes out in one unbuffered ``write`` call, which a local
    filesystem applies whole at the end of the file. (Not on NFS, where O_APPEND is not
    atomic.)
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(
            path
            or getattr(settings, "SMS_FILE_PATH", None)
            or Path(settings.DATA_DIR) / "sms" / "outbox.jsonl"
        )

    def send(self, *, to: str, body: str, reference: str) -> str:
        message_id = uuid.uuid4().hex
        record = {
            "to": to,
            "body": body,
            "reference": reference,
            "at": timezone.now().isoformat(),
            "id": message_id,
        }
        # json.dumps escapes newlines inside strings, so the record is exactly one line.
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Unbuffered binary append: the whole line is one write(2) call, not several
            # flushes of a text buffer that another process could interleave with.
            with open(self.path, "ab", buffering=0) as outbox:
                written = outbox.write(line)
        except OSError as error:
            raise TemporaryFailure(f"Could not write to the SMS outbox file: {error}") from error
        if written != len(line):
            raise TemporaryFailure("The SMS outbox file took only part of the message.")
        return message_id

    def find(self, *, reference: str) -> str | None:
        """The file is the provider's record: the last message written under ``reference``."""
        found = None
        try:
            with open(self.path, encoding="utf-8") as outbox:
                for line in outbox:
                    if reference in line:
                        record = json.loads(line)
                        if record.get("reference") == reference:
                            found = record["id"]
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise TemporaryFailure(f"Could not read the SMS outbox file: {error}") from error
        return found


@dataclass(frozen=True)
class SentSms:
    to: str
    body: str
    reference: str
    id: str


# Like django.core.mail.outbox: tests read and clear these.
outbox: list[SentSms] = []
fail_next: list[Exception] = []


class LocmemBackend(BaseBackend):
    """Tests: record each message in ``outbox``; raise the first of ``fail_next`` if any."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        try:
            failure = fail_next.pop(0)
        except IndexError:
            failure = None
        if failure is not None:
            raise failure
        message = SentSms(to=to, body=body, reference=reference, id=uuid.uuid4().hex)
        outbox.append(message)
        return message.id

    def find(self, *, reference: str) -> str | None:
        sent = [message.id for message in outbox if message.reference == reference]
        return sent[-1] if sent else None


def get_backend() -> BaseBackend:
    """An instance of the backend named by ``settings.SMS_BACKEND``."""
    path = getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND)
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} cannot be imported: {error}") from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {path!r} is not a BaseBackend subclass.")
    return backend_class()


def send_sms(*, to: str, body: str, reference: str) -> str:
    """Send a text message to a UK mobile; return the provider's message id.

    Raises ``PermanentFailure`` for a number that is not a UK mobile, an empty body or one
    over 918 characters, and whatever the backend raises (see the module docstring).
    ``reference`` must identify this message across retries (use the delivery id).
    """
    if not reference:
        # A programming error, not a property of the message: without a reference a retried
        # send cannot be recognised as the same message.
        raise ValueError("send_sms needs a reference (the delivery id).")
    number = normalise_uk_mobile(to)
    text = body.strip()
    if not text:
        raise PermanentFailure("The message is empty.")
    if len(text) > MAX_BODY_LENGTH:
        raise PermanentFailure(
            f"The message is {len(text)} characters long; the most a text message can have "
            f"is {MAX_BODY_LENGTH}."
        )
    return get_backend().send(to=number, body=text, reference=reference)
