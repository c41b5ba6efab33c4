"""Security events reach the "security" log with who, from where, which request and when.

ASVS 5.0: 16.3.1 (authentication events, success and failure, with the factor), 16.3.2
(failed authorisation), 16.2.1 (when, where, who, what), 16.2.2 (UTC), 16.2.4 (a request
id to correlate), 15.3.4 (the client's real IP behind trusted proxies).
"""

from __future__ import annotations

import io
import logging
import re
from datetime import date

import pytest
from django.test import Client

from accounts import services
from tests.accounts.test_security import sign_in, totp_now
from tests.conftest import PASSWORD, make_staff

pytestmark = pytest.mark.django_db

REQUEST_ID = "req-0123456789abcdef"


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="security")

    def events(name: str | None = None) -> list[logging.LogRecord]:
        return [
            r
            for r in caplog.records
            if r.name == "security" and (name is None or getattr(r, "event", None) == name)
        ]

    return events


def traced(client: Client) -> Client:
    client.defaults["HTTP_X_REQUEST_ID"] = REQUEST_ID
    return client


def test_a_sign_in_is_logged_with_the_user_id_ip_request_and_factor(client, citizen, security_log):
    sign_in(traced(client), citizen.email)

    [record] = security_log("sign_in")
    assert record.levelno == logging.INFO
    assert record.user_id == citizen.pk
    assert record.client_ip == "127.0.0.1"
    assert record.request_id == REQUEST_ID
    assert record.security_factors == "password"
    assert citizen.email not in record.getMessage()


def test_a_failed_sign_in_logs_a_hash_of_the_address_never_the_address_or_password(
    client, citizen, security_log
):
    sign_in(traced(client), citizen.email, "wrong password!!")
    sign_in(Client(), citizen.email.upper(), "another wrong one")
    sign_in(Client(), "nobody@example.org", "wrong password!!")

    failures = security_log("sign_in_failed")
    assert len(failures) == 3
    assert all(r.levelno == logging.WARNING and r.user_id == "-" for r in failures)
    assert failures[0].request_id == REQUEST_ID
    # Attempts on one account can be told apart from attempts on another.
    hashes = [r.security_login for r in failures]
    assert hashes[0] == hashes[1] != hashes[2]
    assert re.fullmatch(r"[0-9a-f]{16}", hashes[0])
    text = " ".join(r.getMessage() for r in security_log())
    for secret in (citizen.email, "alice", "wrong password", "another wrong one", "nobody"):
        assert secret not in text
    assert not security_log("sign_in")


def test_a_sign_in_refused_by_the_rate_limit_is_logged(client, citizen, security_log):
    for _ in range(5):
        sign_in(client, citizen.email, "wrong password!!")

    sign_in(client, citizen.email, PASSWORD)

    [record] = security_log("sign_in_rate_limited")
    assert record.levelno == logging.WARNING
    assert record.security_login == security_log("sign_in_failed")[0].security_login
    assert not security_log("sign_in")


def test_second_factor_failure_and_success_are_logged_with_the_factor(
    client, caseworker, security_log
):
    sign_in(client, caseworker.email)
    client.post("/account/2fa/authenticate/", {"code": totp_now(offset=5)})
    client.post("/account/2fa/authenticate/", {"code": totp_now()})

    [failed] = security_log("mfa_failed")
    [passed] = security_log("mfa_passed")
    [signed_in] = security_log("sign_in")
    assert failed.levelno == logging.WARNING
    assert failed.user_id == passed.user_id == signed_in.user_id == caseworker.pk
    assert failed.security_type == passed.security_type == "totp"
    assert signed_in.security_factors == "password+mfa:totp"


def test_sign_out_and_a_password_change_are_logged(client, citizen, security_log):
    sign_in(client, citizen.email)
    client.post(
        "/account/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a new passphrase!",
            "password2": "a new passphrase!",
        },
    )
    client.post("/account/logout/")

    assert [r.user_id for r in security_log("password_changed")] == [citizen.pk]
    assert [r.user_id for r in security_log("sign_out")] == [citizen.pk]


def test_re_authentication_is_logged(client, citizen, security_log):
    sign_in(client, citizen.email)
    client.post(client.get("/account/profile/contact/")["Location"], {"password": PASSWORD})

    [record] = security_log("reauthenticated")
    assert record.user_id == citizen.pk
    assert record.security_method == "password"


def test_another_persons_id_is_logged_as_a_refusal_with_who_asked(
    citizen_client, citizen, other_citizen, security_log
):
    member = services.add_household_member(
        customer=other_citizen.customer, by=other_citizen, relationship="partner",
        name="Bob's partner", date_of_birth=date(1990, 1, 1), joined_on=date(2020, 1, 1),
    )  # fmt: skip

    response = traced(citizen_client).get(f"/account/household/{member.pk}/left/")

    assert response.status_code == 404
    [record] = security_log("access_refused")
    assert record.levelno == logging.WARNING
    assert record.user_id == citizen.pk
    assert record.request_id == REQUEST_ID
    assert record.security_status == 404
    assert record.security_view == "accounts:household_member_left"
    assert record.security_path == f"/account/household/{member.pk}/left/"


def test_staff_without_a_second_factor_refused_the_admin_is_logged(client, security_log):
    person = make_staff("nomfa@example.org", group="caseworker", totp=False)
    sign_in(client, person.email)

    assert client.get("/admin/").status_code == 403

    [record] = security_log("access_refused")
    assert record.user_id == person.pk
    assert record.security_status == 403
    assert record.security_path == "/admin/"


def test_an_anonymous_page_not_found_is_not_a_security_event(client, security_log):
    assert client.get("/no-such-page/").status_code == 404

    assert not security_log("access_refused")


def test_behind_a_trusted_proxy_the_client_ip_comes_from_x_forwarded_for(
    client, citizen, settings, security_log
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.defaults["HTTP_X_FORWARDED_FOR"] = "198.51.100.23, 203.0.113.9"

    sign_in(client, citizen.email)

    # With one proxy, only the address it added is trusted: the last one.
    assert security_log("sign_in")[0].client_ip == "203.0.113.9"


def test_the_console_log_line_has_a_utc_time_request_id_ip_and_user(client, citizen):
    console = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        sign_in(traced(client), citizen.email)
    finally:
        console.setStream(previous)

    [line] = [line for line in stream.getvalue().splitlines() if "event=sign_in " in line]
    assert re.fullmatch(
        rf"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z INFO security request_id={REQUEST_ID} "
        rf"ip=127\.0\.0\.1 user={citizen.pk} event=sign_in factors=password",
        line,
    )
