"""Signing up with an address that has an account and with a new one: the two must take
the same time, or the time tells which addresses have accounts. Run by ``make bench`` in a
subprocess on its own database (``portal_bench``), with the production password hasher.

Each round posts the sign-up form once with a known address and once with a new one
(alternating which goes first), through the full middleware stack. Every request has its
own client address and every address is used once, so allauth's rate limits (sign-ups per
IP, confirmation emails per address) never change the work done. Prints the median and
95th percentile of each path, and what each did: passwords hashed, emails queued, emails
sent during the request, queries. Never fails on speed.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_SIGNUP_ROUNDS", "20"))
PASSPHRASE = "a long enough benchmark passphrase"  # noqa: S105 - a throwaway account's
# Addresses (and client addresses) of this run only: allauth's rate limits, kept in the
# shared cache, would stop emails to an address a run a minute ago used.
RUN = os.urandom(4).hex()


def seed_known(count: int, tag: str) -> list[str]:
    """Accounts whose addresses the known path signs up with: one hash, shared."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    password = make_password(PASSPHRASE)
    emails = [f"bench-known-{tag}-{i}@example.org" for i in range(count)]
    users = User.objects.bulk_create(User(email=e, password=password) for e in emails)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    return emails


class Counting:
    """Counts the passwords the configured hasher hashes."""

    def __init__(self) -> None:
        self.hasher = type(get_hasher())
        self.encode = self.hasher.encode
        self.count = 0

    def __enter__(self) -> Counting:
        counting = self

        def encode(hasher, password, salt, *args, **kwargs):
            counting.count += 1
            return counting.encode(hasher, password, salt, *args, **kwargs)

        self.hasher.encode = encode
        return self

    def __exit__(self, *exc: object) -> None:
        self.hasher.encode = self.encode


def sign_up(email: str, address: str) -> tuple[float, int, int, int, int]:
    """(milliseconds, status, hashes, emails queued, queries) for one sign-up."""
    from notifications.models import OutgoingEmail

    client = Client(SERVER_NAME="localhost", REMOTE_ADDR=address)
    data = {"email": email, "password1": PASSPHRASE, "password2": PASSPHRASE}
    before = OutgoingEmail.objects.count()
    with Counting() as hashes, CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        status = client.post("/account/signup/", data).status_code
        elapsed = (time.perf_counter() - started) * 1000
    queued = OutgoingEmail.objects.count() - before
    return elapsed, status, hashes.count, queued, len(queries)


def purge_queue() -> None:
    """Drop the emails' tasks this run queued: no worker runs here."""
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)


def run(rounds: int, tag: str) -> None:
    print(f"{'address':<9}{'median ms':>11}{'p95 ms':>9}{'hashes':>8}{'queued':>8}{'queries':>9}")
    known = seed_known(rounds + 1, tag)
    sign_up(known[-1], "10.0.0.1")  # warm up templates and connections
    results: dict[str, list[tuple[float, int, int, int, int]]] = {"known": [], "new": []}
    sent_before = len(getattr(mail, "outbox", []))
    for i in range(rounds):
        paths = [("known", known[i]), ("new", f"bench-new-{tag}-{i}@example.org")]
        for n, (name, email) in enumerate(paths if i % 2 else paths[::-1]):
            address = f"10.{int(tag[:2], 16)}.{i % 250}.{n + 1}"
            results[name].append(sign_up(email, address))
    sent_in_requests = len(getattr(mail, "outbox", [])) - sent_before
    purge_queue()

    medians = {}
    for name, rows in results.items():
        times = sorted(r[0] for r in rows)
        medians[name] = statistics.median(times)
        assert {r[1] for r in rows} == {302}, f"{name}: {[r[1] for r in rows]}"
        print(
            f"{name:<9}{medians[name]:>11.1f}{times[int(len(times) * 0.95) - 1]:>9.1f}"
            f"{statistics.median(r[2] for r in rows):>8.0f}"
            f"{statistics.median(r[3] for r in rows):>8.0f}"
            f"{statistics.median(r[4] for r in rows):>9.0f}"
        )
    print(
        f"difference of medians: {medians['new'] - medians['known']:+.1f} ms; "
        f"emails sent during the requests: {sent_in_requests}"
    )


def main() -> int:
    from django.test import override_settings

    print(f"\nSign-up, {ROUNDS} rounds each, production hasher ({get_hasher().algorithm})")
    run(ROUNDS, RUN)
    # The hash's own jitter (a second of CPU, shared) hides small differences: the work
    # besides hashing, with a fast hasher, shows what is left.
    print(f"\nSign-up, {ROUNDS * 2} rounds each, fast hasher: the work besides hashing")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        run(ROUNDS * 2, os.urandom(4).hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
