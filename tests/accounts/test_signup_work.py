"""Signing up does not say, by the time it takes, whether the address has an account.

The page is the same either way (tests/accounts/test_security.py). The time was not: a new
address had its password hashed and its confirmation emailed during the request (1.2-2.7 s
with the production hasher), a known one neither (0.04-0.09 s). Now both paths do the same
work, shown here by what they do rather than by timing (``make bench`` prints the times):
each hashes the password once and queues one email, and neither talks to the mail server
during the request; a worker sends the email after it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Customer, User
from tests.helpers import send_queued_emails

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long enough passphrase"
NEW = "nobody@example.org"


def sign_up(email: str):
    data = {"email": email, "password1": PASSPHRASE, "password2": PASSPHRASE}
    return Client().post("/account/signup/", data)


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """Every password the configured hasher hashes."""
    hasher = type(get_hasher())
    encode = hasher.encode
    passwords: list[str] = []

    def counting_encode(self, password, salt, *args, **kwargs):
        passwords.append(password)
        return encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting_encode)
    return passwords


def test_both_paths_hash_the_password_once(citizen, hashed):
    by_path = {}
    for email in (citizen.email, NEW):
        hashed.clear()
        assert sign_up(email).status_code == 302
        by_path[email] = list(hashed)

    assert by_path == {citizen.email: [PASSPHRASE], NEW: [PASSPHRASE]}


def test_both_paths_queue_one_email_and_neither_sends_it_during_the_request(citizen, mailoutbox):
    from notifications.models import OutgoingEmail

    for email in (citizen.email, NEW):
        assert sign_up(email).status_code == 302

    assert mailoutbox == []  # nobody waited for the mail server
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == sorted(
        [citizen.email, NEW]
    )

    sent = send_queued_emails()  # what the worker does once the request is over

    assert sorted(m.to[0] for m in sent) == sorted([citizen.email, NEW])
    by_address = {m.to[0]: m for m in sent}
    assert "confirm" in by_address[NEW].body.lower()
    assert "already" in by_address[citizen.email].body.lower()


def rows_written(email: str) -> list[str]:
    """The tables one sign-up inserts into, in order."""
    with CaptureQueriesContext(connection) as queries:
        assert sign_up(email).status_code == 302
    inserts = (re.match(r'INSERT INTO "(\w+)"', q["sql"]) for q in queries.captured_queries)
    return [match[1] for match in inserts if match]


def test_both_paths_write_the_same_rows_and_the_known_path_keeps_none_of_them(citizen):
    users, customers = User.objects.count(), Customer.objects.count()

    known = rows_written(citizen.email)
    assert (User.objects.count(), Customer.objects.count()) == (users, customers)
    new = rows_written(NEW)

    assert known == new
    assert {"accounts_user", "accounts_customer", "account_emailaddress"} <= set(new)
    assert (User.objects.count(), Customer.objects.count()) == (users + 1, customers + 1)
    assert not User.objects.filter(email__endswith=".invalid").exists()
