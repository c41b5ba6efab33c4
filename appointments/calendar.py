"""An appointment for the person's calendar: an iCalendar file (RFC 5545) and a link that
opens Google Calendar with it filled in.

Only what the person needs to turn up goes in: when, how, where, the reference and the
page to change it. No name, no claim, no needs: a calendar is often shared or synced.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appointments.models import Appointment, Channel, Status

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
_LINE_OCTETS = 75


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks
    as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1): CRLF and a space, never inside a
    UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = _LINE_OCTETS if not parts else _LINE_OCTETS - 1  # the space counts
        if size + octets > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def summary(appointment: Appointment) -> str:
    return _("Appointment: %(purpose)s (%(how)s)") % {
        "purpose": appointment.get_purpose_display(),
        "how": appointment.slot.get_channel_display().lower(),
    }


def location(appointment: Appointment) -> str:
    slot = appointment.slot
    if slot.channel == Channel.OFFICE and slot.office is not None:
        return f"{slot.office.name}, {slot.office.one_line}"
    if slot.channel == Channel.PHONE:
        return _("By phone: we will call you")
    return _("Video call: we will send you the link")


def description(appointment: Appointment, page_url: str) -> str:
    lines = [
        _("Reference: %(reference)s") % {"reference": appointment.reference},
        _("To move or cancel it: %(url)s") % {"url": page_url},
    ]
    return "\n".join(lines)


def ics(appointment: Appointment, *, page_url: str, now: datetime | None = None) -> bytes:
    """The appointment as an iCalendar file. A cancelled or moved one is sent as
    cancelled, with the same UID and a higher sequence, so calendars take it off."""
    now = now or timezone.now()
    booked = appointment.status == Status.BOOKED
    with translation.override(appointment.customer.preferred_language or None):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:-//{escape_text(settings.PORTAL_AGENCY)}//Appointments//EN",
            "CALSCALE:GREGORIAN",
            f"METHOD:{'PUBLISH' if booked else 'CANCEL'}",
            "BEGIN:VEVENT",
            f"UID:{appointment.reference}@{settings.EMAIL_MESSAGE_DOMAIN}",
            f"SEQUENCE:{0 if booked else 1}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(appointment.starts_at)}",
            f"DTEND:{_utc(appointment.slot.ends_at)}",
            f"SUMMARY:{escape_text(summary(appointment))}",
            f"LOCATION:{escape_text(location(appointment))}",
            f"DESCRIPTION:{escape_text(description(appointment, page_url))}",
            f"URL:{page_url}",
            f"STATUS:{'CONFIRMED' if booked else 'CANCELLED'}",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def google_link(appointment: Appointment, *, page_url: str) -> str:
    """A link that opens Google Calendar with the appointment filled in."""
    query = {
        "action": "TEMPLATE",
        "text": summary(appointment),
        "dates": f"{_utc(appointment.starts_at)}/{_utc(appointment.slot.ends_at)}",
        "details": description(appointment, page_url),
        "location": location(appointment),
    }
    return f"{GOOGLE_CALENDAR}?{urlencode(query)}"
