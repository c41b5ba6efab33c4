"""The calendar file is valid iCalendar (RFC 5545) with only what the person needs, and the
"add to calendar" link carries the same times."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from appointments import calendar, services
from appointments.models import Channel
from tests.appointment_factory import book, slots

pytestmark = pytest.mark.django_db


def unfold(text: str) -> list[str]:
    """Content lines, unfolded (RFC 5545 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")


def properties(text: str) -> dict[str, str]:
    return dict(line.split(":", 1) for line in unfold(text) if ":" in line)


@pytest.fixture
def office_appointment(citizen):
    slot = slots(count=1, channel=Channel.OFFICE, office_name="Jobcentre Plus, Leeds; Central")[0]
    return book(
        citizen, slot,
        needs=services.Needs(interpreter_language="Polish", other_needs="My secret condition"),
    )  # fmt: skip


def test_the_file_is_rfc_5545_with_crlf_lines_of_75_octets_at_most(citizen, office_appointment):
    text = calendar.ics(office_appointment, page_url="https://portal.example.org/a/1/").decode()

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF, no bare LF
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    props = properties(text)
    for name in ("PRODID", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION"):
        assert props[name], name
    start = office_appointment.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    end = office_appointment.slot.ends_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert (props["DTSTART"], props["DTEND"]) == (start, end)
    assert props["UID"] == f"{office_appointment.reference}@portal.example.org"
    assert (props["STATUS"], props["METHOD"]) == ("CONFIRMED", "PUBLISH")


def test_text_is_escaped_and_long_lines_are_folded(office_appointment):
    text = calendar.ics(office_appointment, page_url="https://portal.example.org/a/1/").decode()

    location = properties(text)["LOCATION"]
    # The office's name has a comma and a semicolon; the address a line break.
    assert location.startswith("Jobcentre Plus\\, Leeds\\; Central\\, 1 High Street\\, Leeds")
    assert "DESCRIPTION:Reference: " in "\r\n".join(unfold(text))
    assert "\\n" in properties(text)["DESCRIPTION"]


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = calendar.fold(line)

    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_file_holds_nothing_personal_beyond_what_the_person_needs(citizen, office_appointment):
    citizen.customer.legal_given_names = "Alice"
    citizen.customer.legal_family_name = "Example"
    citizen.customer.save()

    text = calendar.ics(office_appointment, page_url="https://portal.example.org/a/1/").decode()

    for private in ("Alice", "Example", "Polish", "secret", "07700", citizen.email):
        assert private not in text


def test_a_cancelled_appointment_is_sent_as_cancelled_with_the_same_uid(citizen):
    appointment = book(citizen)
    before = properties(calendar.ics(appointment, page_url="https://x.example/").decode())
    services.cancel_appointment(appointment=appointment, by=citizen)
    appointment.refresh_from_db()

    after = properties(calendar.ics(appointment, page_url="https://x.example/").decode())

    assert after["UID"] == before["UID"]
    assert (after["METHOD"], after["STATUS"], after["SEQUENCE"]) == ("CANCEL", "CANCELLED", "1")


def test_the_page_downloads_the_file(citizen_client, citizen):
    appointment = book(citizen)

    response = citizen_client.get(f"/appointments/{appointment.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{appointment.reference}.ics"'
    assert "BEGIN:VEVENT" in response.content.decode()


def test_the_add_to_calendar_link_opens_google_calendar_with_the_times(citizen):
    appointment = book(citizen)

    link = calendar.google_link(appointment, page_url="https://portal.example.org/a/1/")

    parts = urlsplit(link)
    query = parse_qs(parts.query)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}"
        == "https://calendar.google.com/calendar/render"
    )
    assert query["action"] == ["TEMPLATE"]
    start = timezone.localtime(appointment.starts_at).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert query["dates"][0].startswith(start + "/")
    assert "By phone" in query["location"][0]
