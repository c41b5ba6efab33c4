"""Stand-ins for providers, imported by the drills' worker processes by dotted path."""

from __future__ import annotations

import os
import time

from notifications import sms


class HangingFileSmsBackend(sms.FileBackend):
    """The file backend (the file is the provider's record), but after handing a message
    over it waits ``HANG_AFTER_SMS_SECONDS`` for the provider's answer: long enough for the
    drill to kill the worker meanwhile."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        message_id = super().send(to=to, body=body, reference=reference)
        time.sleep(float(os.environ.get("HANG_AFTER_SMS_SECONDS", "0")))
        return message_id
