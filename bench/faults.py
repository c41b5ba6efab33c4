"""Fault benchmarks, on a database of their own (``make bench`` runs them on ``portal_bench``
in a subprocess with that database configured; ``python -m bench.faults`` runs them on
whatever ``DATABASE_URL`` names, which must be a migrated database you can write to).

1. Publishing to a broker that is down (connection refused: a closed port) and to one that
   is hung (accepts connections, never answers: a listening socket nobody reads): how long
   one ``notifications.services.publish`` call holds its caller. Target: about a second at
   most.
2. Recovery from a broker outage with the real processes, nothing moved by hand: a Redis of
   its own as the broker, a ``celery worker`` and ``celery beat``. The broker is killed; a
   notification (a text) is written and a clear claim is sent meanwhile; the broker comes
   back empty after ``BENCH_OUTAGE_SECONDS`` (default 10). Prints how long after the
   broker's return the text was sent (the outbox sweeper) and the claim decided (the
   straight-through re-queue job). Takes a few minutes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

from tests.helpers import closed_port as free_port

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.conf import settings  # noqa: E402

BASE_DIR = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
OUTAGE = float(os.environ.get("BENCH_OUTAGE_SECONDS", "10"))


def use_broker(url: str) -> None:
    from portal.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def publish_times() -> None:
    from notifications import services

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    brokers = {
        "refused": "redis://127.0.0.1:1/0",
        "hung": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
    }
    print("Publishing one delivery batch with the broker unreachable (5 calls each)")
    for name, url in brokers.items():
        use_broker(url)
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            services.publish([0])
            timings.append(time.perf_counter() - started)
        print(
            f"  broker {name:<8} median {statistics.median(timings):.2f} s, "
            f"slowest {max(timings):.2f} s"
        )
    listener.close()
    use_broker(settings.CELERY_BROKER_URL)


def _wait(condition, timeout: float, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise TimeoutError(f"not done within {timeout} s")


def recovery() -> None:
    import logging

    from accounts import services as accounts_services
    from accounts.models import User
    from benefits.claims import applications
    from benefits.models import Claim, ClaimStatus
    from notifications import services
    from notifications.models import WAITING, Channel, Delivery, DeliveryStatus, NotificationKind
    from portal.models import Heartbeat
    from portal.tasks import record_heartbeat
    from tests.claim_factory import ready_to_send

    for quiet in ("notifications.services", "benefits.claims.applications", "django.dispatch"):
        logging.getLogger(quiet).setLevel(logging.CRITICAL)  # the outage's expected failures
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-faults-"))
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    queue = f"portal-bench-faults-{os.getpid()}"
    env = {
        **os.environ, "PYTHONPATH": str(BASE_DIR), "CELERY_BROKER_URL": broker,
        "CELERY_QUEUE": queue, "SMS_BACKEND": "notifications.sms.FileBackend",
        "SMS_FILE_PATH": str(folder / "sms.jsonl"),
    }  # fmt: skip
    redis_command = [shutil.which("redis-server") or "/usr/bin/redis-server", "--port",
                     str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]  # fmt: skip
    log = (folder / "processes.log").open("ab")

    def start(*command: str) -> subprocess.Popen:
        return subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )

    # What this measures is one new message after an outage, not the draining of a backlog:
    # the benchmarks before this one leave their deliveries waiting (no worker took them;
    # the daily reminders alone leave about 700,000), and the sweeper takes the oldest
    # first. They are set aside, and the count printed (docs/operations.md: a backlog delays
    # new messages).
    set_aside = Delivery.objects.filter(status__in=WAITING).update(
        status=DeliveryStatus.FAILED, last_error="Set aside by the fault benchmark."
    )
    if set_aside:
        print(f"  set aside {set_aside:,} deliveries the earlier benchmarks left waiting")
    redis = start(*redis_command)
    use_broker(broker)
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    from portal.celery import app

    app.conf.task_default_queue = queue
    worker = start(str(BIN / "celery"), "-A", "portal", "worker", "--pool=solo", "-Q", queue,
                   "--without-gossip", "--without-mingle", "--loglevel=INFO")  # fmt: skip
    beat = start(str(BIN / "celery"), "-A", "portal", "beat", "--loglevel=INFO",
                 "--schedule", str(folder / "beat-schedule"))  # fmt: skip
    try:
        Heartbeat.objects.all().delete()
        time.sleep(1)
        record_heartbeat.delay()
        _wait(lambda: Heartbeat.objects.exists(), timeout=60)

        email = f"bench-faults-{os.getpid()}@example.org"
        user = User.objects.create_user(email, "bench password 12345")
        customer = accounts_services.create_customer_for_user(user=user)
        accounts_services.update_contact_details(
            customer=customer, by=user, phone="07700 900123", address_line_1="1 High Street",
            address_line_2="", town="Cardiff", postcode="CF10 1AA",
        )  # fmt: skip
        accounts_services.update_preferences(
            customer=customer, by=user, preferred_language="en-gb", contact_channels=["sms"],
            accessibility_needs=[], reasonable_adjustments="",
        )  # fmt: skip
        draft = ready_to_send(user)

        redis.send_signal(signal.SIGKILL)
        redis.wait()
        outage_started = time.monotonic()
        claim = applications.submit_claim(claim=draft, by=user)
        notification = services.notify(
            customer=customer, kind=NotificationKind.MESSAGE, title="We have a question for you"
        )
        text = Delivery.objects.get(notification=notification, channel=Channel.SMS)
        time.sleep(max(0.0, OUTAGE - (time.monotonic() - outage_started)))
        redis = start(*redis_command)
        back = time.monotonic()
        print(
            f"Recovery from a {OUTAGE:.0f} s broker outage (real worker and beat), counted "
            "from the broker's return"
        )
        _wait(lambda: Delivery.objects.filter(pk=text.pk, status="sent").exists(), timeout=600)
        print(f"  a text written during the outage: sent {time.monotonic() - back:.0f} s after")
        _wait(
            lambda: Claim.objects.filter(pk=claim.pk, status=ClaimStatus.AWARDED).exists(),
            timeout=600,
        )
        print(f"  a claim sent during the outage: decided {time.monotonic() - back:.0f} s after")
    finally:
        for process in (beat, worker, redis):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        use_broker(settings.CELERY_BROKER_URL)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import logging

    logging.getLogger("notifications.services").setLevel(logging.ERROR)  # expected warnings
    publish_times()
    print()
    recovery()
