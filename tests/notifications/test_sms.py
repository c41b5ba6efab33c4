"""The SMS layer: number normalisation, the development and test backends, ``send_sms``."""

from __future__ import annotations

import json
import threading

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from notifications import sms


@pytest.fixture
def locmem_sms(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"
    sms.outbox.clear()
    sms.fail_next.clear()
    yield sms.outbox
    sms.outbox.clear()
    sms.fail_next.clear()


@pytest.fixture
def outbox_file(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "texts" / "outbox.jsonl")
    return tmp_path / "texts" / "outbox.jsonl"


def read_lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- normalise_uk_mobile -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700900123", "+447700900123"),
        ("07700 900123", "+447700900123"),
        ("07700 900 123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("07700.900.123", "+447700900123"),
        ("(07700) 900123", "+447700900123"),
        ("  07700 900123  ", "+447700900123"),
        ("07700\u00a0900123", "+447700900123"),
        ("+447700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("+44 (0) 7700 900 123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("0044 (0)7700 900123", "+447700900123"),
        ("447700900123", "+447700900123"),
        ("7700 900123", "+447700900123"),
        ("07123 456789", "+447123456789"),
        ("07987 654321", "+447987654321"),
        ("07624 123456", "+447624123456"),  # Isle of Man
        ("07781 123456", "+447781123456"),  # Guernsey
        ("07797 123456", "+447797123456"),  # Jersey
        ("07829 123456", "+447829123456"),
        ("07839 123456", "+447839123456"),
        ("07911 123456", "+447911123456"),
    ],
)
def test_uk_mobile_numbers_are_normalised_to_e164(typed, expected):
    assert sms.normalise_uk_mobile(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("()-", "empty"),
        ("029 2018 0000", "start with 07"),  # Cardiff landline
        ("020 7946 0000", "start with 07"),  # London landline
        ("+44 20 7946 0000", "start with 07"),
        ("0800 123 4567", "start with 07"),  # freephone
        ("0300 123 4567", "start with 07"),
        ("0845 600 0000", "start with 07"),
        ("07700 90012", "too short"),
        ("0770090012", "too short"),
        ("07700 9001234", "too long"),
        ("+44 7700 9001234", "too long"),
        ("07700 900 123 4", "too long"),
        ("0", "too short"),
        ("+44", "too short"),
        ("07700 9OO123", "only contain digits"),  # letter O for zero
        ("07700 900123 ext 4", "only contain digits"),
        ("phone me", "only contain digits"),
        ("07700/900123", "only contain digits"),
        ("07700+900123", "only contain digits"),
        ("٠٧٧٠٠٩٠٠١٢٣", "only contain digits"),  # Arabic-Indic digits
        ("+33 6 12 34 56 78", "not a UK number"),
        ("+1 202 555 0143", "not a UK number"),
        ("++447700900123", "only contain digits"),
        ("0033 6 12 34 56 78", "not a UK number"),
        ("070 1234 5678", "personal numbers"),
        ("+44 70 1234 5678", "personal numbers"),
        ("07600 123456", "pagers"),
        ("07623 123456", "pagers"),
        ("07625 123456", "pagers"),
    ],
)
def test_other_numbers_are_refused_with_a_reason(typed, reason):
    with pytest.raises(sms.PermanentFailure, match=reason):
        sms.normalise_uk_mobile(typed)


def test_failures_share_one_base_class():
    assert issubclass(sms.PermanentFailure, sms.SmsError)
    assert issubclass(sms.TemporaryFailure, sms.SmsError)
    assert not issubclass(sms.PermanentFailure, sms.TemporaryFailure)


# --- FileBackend -----------------------------------------------------------------------------


def test_file_backend_appends_one_json_line_per_message(outbox_file):
    backend = sms.FileBackend()

    first = backend.send(to="+447700900123", body="Line one\nline two", reference="d-1")
    second = backend.send(to="+447700900456", body="Diolch – ŵ ŷ £5", reference="d-2")

    records = read_lines(outbox_file)
    assert [r["id"] for r in records] == [first, second]
    assert records[0]["to"] == "+447700900123"
    assert records[0]["body"] == "Line one\nline two"
    assert records[0]["reference"] == "d-1"
    assert records[0]["at"]
    assert records[1]["body"] == "Diolch – ŵ ŷ £5"
    assert len(first) == 32
    assert first != second


def test_file_backend_defaults_to_the_data_directory(settings, tmp_path):
    if hasattr(django_settings, "SMS_FILE_PATH"):
        del settings.SMS_FILE_PATH
    settings.DATA_DIR = tmp_path

    message_id = sms.FileBackend().send(to="+447700900123", body="Hello", reference="d-1")

    assert read_lines(tmp_path / "sms" / "outbox.jsonl")[0]["id"] == message_id


def test_file_backend_lines_from_two_threads_do_not_interleave(outbox_file):
    # Bodies far larger than a text message and than Python's 8 KiB write buffer, so a
    # buffered append would be split into several writes and could interleave.
    per_thread = 50
    bodies = {"a": "a" * 20_000, "b": "b" * 20_000}
    start = threading.Barrier(2)
    errors = []

    def send_many(name):
        backend = sms.FileBackend()
        start.wait(timeout=10)
        try:
            for i in range(per_thread):
                backend.send(to="+447700900123", body=bodies[name], reference=f"{name}-{i}")
        except Exception as error:  # reported below, in the test thread
            errors.append(error)

    threads = [threading.Thread(target=send_many, args=(name,)) for name in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    records = read_lines(outbox_file)
    assert len(records) == 2 * per_thread
    for record in records:
        assert record["body"] == bodies[record["reference"][0]]
    assert {r["reference"] for r in records} == {
        f"{name}-{i}" for name in bodies for i in range(per_thread)
    }


def test_file_backend_reports_an_unwritable_file_as_temporary(settings, tmp_path):
    (tmp_path / "not-a-directory").write_text("")
    settings.SMS_FILE_PATH = str(tmp_path / "not-a-directory" / "outbox.jsonl")

    with pytest.raises(sms.TemporaryFailure):
        sms.FileBackend().send(to="+447700900123", body="Hello", reference="d-1")


# --- LocmemBackend ---------------------------------------------------------------------------


def test_locmem_backend_records_messages(locmem_sms):
    message_id = sms.LocmemBackend().send(to="+447700900123", body="Hello", reference="d-1")

    assert locmem_sms == [
        sms.SentSms(to="+447700900123", body="Hello", reference="d-1", id=message_id)
    ]


def test_locmem_backend_raises_forced_failures_in_order_then_sends(locmem_sms):
    backend = sms.LocmemBackend()
    sms.fail_next.extend([sms.TemporaryFailure("rate limited"), sms.PermanentFailure("no")])

    with pytest.raises(sms.TemporaryFailure, match="rate limited"):
        backend.send(to="+447700900123", body="Hello", reference="d-1")
    with pytest.raises(sms.PermanentFailure, match="no"):
        backend.send(to="+447700900123", body="Hello", reference="d-1")
    assert locmem_sms == []

    backend.send(to="+447700900123", body="Hello", reference="d-1")

    assert [m.reference for m in locmem_sms] == ["d-1"]
    assert sms.fail_next == []


# --- get_backend -----------------------------------------------------------------------------


def test_get_backend_defaults_to_the_file_backend(settings):
    if hasattr(django_settings, "SMS_BACKEND"):
        del settings.SMS_BACKEND

    assert type(sms.get_backend()) is sms.FileBackend


def test_get_backend_honours_the_setting(settings):
    settings.SMS_BACKEND = "notifications.sms.LocmemBackend"

    assert type(sms.get_backend()) is sms.LocmemBackend


@pytest.mark.parametrize(
    "path",
    ["notifications.sms.NoSuchBackend", "no_such_module.Backend", "notifications.sms.SentSms"],
)
def test_get_backend_refuses_a_wrong_setting_loudly(settings, path):
    settings.SMS_BACKEND = path

    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        sms.get_backend()


# --- send_sms --------------------------------------------------------------------------------


def test_send_sms_sends_the_normalised_number_and_trimmed_body(locmem_sms):
    message_id = sms.send_sms(
        to="07700 900123", body="  Your claim is approved.\n", reference="d-7"
    )

    assert locmem_sms == [
        sms.SentSms(
            to="+447700900123", body="Your claim is approved.", reference="d-7", id=message_id
        )
    ]


def test_send_sms_goes_through_the_configured_file_backend(settings, outbox_file):
    settings.SMS_BACKEND = "notifications.sms.FileBackend"

    message_id = sms.send_sms(to="+44 7700 900123", body="Hello", reference="d-1")

    assert read_lines(outbox_file)[0]["id"] == message_id


@pytest.mark.parametrize(
    ("to", "body", "reason"),
    [
        ("029 2018 0000", "Hello", "start with 07"),
        ("", "Hello", "phone number is empty"),
        ("07700 900123", "", "message is empty"),
        ("07700 900123", " \n\t ", "message is empty"),
        ("07700 900123", "x" * 919, "919 characters"),
    ],
)
def test_send_sms_refuses_what_can_never_be_sent(locmem_sms, to, body, reason):
    with pytest.raises(sms.PermanentFailure, match=reason):
        sms.send_sms(to=to, body=body, reference="d-1")

    assert locmem_sms == []


def test_send_sms_accepts_918_characters_after_trimming(locmem_sms):
    sms.send_sms(to="07700 900123", body=f"  {'x' * 918}  \n", reference="d-1")

    assert len(locmem_sms[0].body) == 918


def test_send_sms_needs_a_reference(locmem_sms):
    with pytest.raises(ValueError, match="reference"):
        sms.send_sms(to="07700 900123", body="Hello", reference="")

    assert locmem_sms == []


def test_send_sms_passes_on_backend_failures(locmem_sms):
    sms.fail_next.append(sms.TemporaryFailure("provider unavailable"))

    with pytest.raises(sms.TemporaryFailure, match="provider unavailable"):
        sms.send_sms(to="07700 900123", body="Hello", reference="d-1")

    assert locmem_sms == []
