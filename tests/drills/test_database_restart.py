"""Drill: PostgreSQL restarts under load.

A cluster of the drill's own (a copy of the test database) serves a real gunicorn web
process and a real ``celery worker``; a signed-in person's page is requested in a loop
while the cluster is stopped and started again. Requests may fail only while it is down,
and succeed again without restarting the web process or the worker. A text whose task
reaches the worker while the database is down is sent once, when it is back.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from notifications import services
from portal.celery import app
from tests.drills.servers import (
    Clock,
    PostgresCluster,
    manage,
    sms_references,
    start_web,
    start_worker,
)
from tests.helpers import database_url, purge_celery_queue, wait_until

pytestmark = pytest.mark.drill


@dataclass(frozen=True)
class Request:
    started: float
    finished: float
    status: int  # 0: no HTTP answer at all


class Visitor:
    """Asks for the person's messages page over and over, from a thread."""

    def __init__(self, url: str, cookie: str, clock: Clock) -> None:
        self.url, self.cookie, self.clock = url, cookie, clock
        self.requests: list[Request] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = self.clock.now()
            request = urllib.request.Request(self.url, headers={"Cookie": self.cookie})  # noqa: S310 - http://127.0.0.1
            try:
                with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            self.requests.append(Request(started, self.clock.now(), status))
            time.sleep(0.05)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def answered(self, *, after: float, status: int = 200) -> int:
        return sum(1 for r in self.requests if r.started >= after and r.status == status)

    def failed(self, *, after: float) -> int:
        return sum(1 for r in self.requests if r.started >= after and r.status != 200)


@pytest.fixture
def cluster(django_db_setup):
    """The drill's own PostgreSQL, holding a copy of the test database."""
    from django.db import connection

    created = PostgresCluster()
    try:
        created.create()
        created.copy_database(database_url(connection.settings_dict))
        yield created
    finally:
        created.destroy()


def test_requests_fail_only_while_postgres_is_down_and_recover_without_restarts(
    cluster, broker, queue, processes, folder
):
    clock = Clock()
    sms_file = folder / "sms.jsonl"
    provider = {"SMS_BACKEND": "notifications.sms.FileBackend", "SMS_FILE_PATH": str(sms_file)}
    servers = {"broker": broker.url, "database": cluster.url}
    made = manage(
        "shell", "-c",
        "from tests.drills.scenario import person_with_a_text; person_with_a_text()",
        **servers, CELERY_QUEUE=queue, **provider,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    scenario = json.loads(made.stdout.strip().splitlines()[-1])
    delivery = scenario["delivery"]
    purge_celery_queue()  # the text's own request to a worker is lost

    worker = start_worker("database", **servers, queue=queue, folder=folder, **provider)
    web, base_url = start_web(**servers, queue=queue, folder=folder, **provider)
    processes.extend([worker, web])
    visitor = Visitor(
        f"{base_url}/notifications/", f"{scenario['cookie_name']}={scenario['cookie']}", clock
    )
    visitor.start()
    wait_until(lambda: visitor.answered(after=0) >= 10, timeout=60)
    app.send_task("portal.tasks.record_heartbeat")
    wait_until(lambda: cluster.query("SELECT 1 FROM portal_heartbeat"), timeout=60)

    stopping = clock.now()
    cluster.stop()
    # While it is down: the worker is asked to send the text, and fails to reach the database.
    services.publish([delivery])
    worker_log = folder / "worker-database.log"
    wait_until(lambda: "OperationalError" in worker_log.read_text(), timeout=30)
    wait_until(lambda: visitor.failed(after=stopping) >= 3, timeout=30)
    starting = clock.now()
    cluster.start()
    started = clock.now()

    wait_until(lambda: visitor.answered(after=started) >= 1, timeout=30)
    first_answer = min(r.started for r in visitor.requests if r.started >= started)
    # Beat's next sweep: the text is due, and the worker sends it.
    app.send_task("notifications.tasks.sweep_outbox")
    wait_until(
        lambda: cluster.query(
            "SELECT 1 FROM notifications_delivery WHERE id = %s AND status = 'sent'", (delivery,)
        ),
        timeout=60,
    )
    text_sent = clock.now()
    wait_until(lambda: visitor.answered(after=text_sent) >= 10, timeout=30)
    visitor.stop()

    # A request in flight when the server stops fails with it: it counts as during.
    before = [r for r in visitor.requests if r.finished < stopping]
    during = [r for r in visitor.requests if r.finished >= stopping and r.started < started]
    after = [r for r in visitor.requests if r.started >= started]
    print(
        f"\ndatabase drill: down for {started - stopping:.1f} s "
        f"({len([r for r in during if r.status != 200])} of {len(during)} requests failed); "
        f"first answer {first_answer - started:.2f} s after it was back, none failed after; "
        f"the text was sent {text_sent - started:.1f} s after it was back"
    )
    assert before
    assert [(r.started, r.status) for r in before if r.status != 200] == []
    assert any(r.status != 200 for r in during)
    assert after
    assert [(r.started - started, r.status) for r in after if r.status != 200] == []
    # Neither the web process nor the worker was restarted.
    assert worker.poll() is None
    assert web.poll() is None
    assert sms_references(sms_file) == [f"delivery-{delivery}"]
    assert cluster.query(
        "SELECT attempts FROM notifications_delivery WHERE id = %s", (delivery,)
    ) == [(1,)]
    assert starting < started
