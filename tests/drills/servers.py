"""Real servers and processes of the drills' own: a Redis, a PostgreSQL cluster, Celery
workers and a gunicorn web process, each on a free port, started and stopped by the drill.

The shared Redis (6379) and PostgreSQL (5432) other test runs use are never stopped: a
drill breaks only what it started. PostgreSQL refuses to run as root, so the cluster runs
as the ``postgres`` user where needed, as ``scripts/ensure_services.py`` starts its private
one (its helpers are reused).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

from tests.helpers import closed_port as free_port
from tests.helpers import wait_until

BASE_DIR = Path(settings.BASE_DIR)
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
BIN = Path(sys.executable).parent


def _ensure_services():
    spec = importlib.util.spec_from_file_location(
        "ensure_services", BASE_DIR / "scripts" / "ensure_services.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ensure_services = _ensure_services()


def accepts_connections(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a process a drill starts: this checkout's code first on the path
    (the virtualenv's editable install may point at another checkout)."""
    return {**os.environ, "PYTHONPATH": str(BASE_DIR), "PYTHONUNBUFFERED": "1", **extra}


def stop(process: subprocess.Popen | None, *, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL if it does not stop in time."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Redis -------------------------------------------------------------------------------------


class RedisServer:
    """A Redis of the drill's own with no persistence: killing it loses what it held, as a
    broker restarted without AOF would."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.folder / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(lambda: accepts_connections(self.port), timeout=10, every=0.02)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        wait_until(lambda: not accepts_connections(self.port), timeout=5)

    def stop(self) -> None:
        stop(self.process)


# --- PostgreSQL ----------------------------------------------------------------------------------


class PostgresCluster:
    """A PostgreSQL cluster of the drill's own in a temporary folder, with one database."""

    def __init__(self, name: str = "portal_drill") -> None:
        self.port = free_port()
        self.name = name
        self.folder = Path(tempfile.mkdtemp(prefix="portal-drill-pg-"))
        self.data, self.sockets = self.folder / "data", self.folder / "run"
        self.pg_ctl = ensure_services._pg_bin("pg_ctl")
        assert self.pg_ctl, "pg_ctl not found"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.name}"

    def _run(self, *command: str) -> None:
        subprocess.run(
            ensure_services._as_unprivileged(list(command)),
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip

    def create(self) -> None:
        for folder in (self.folder, self.data, self.sockets):
            folder.mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(folder, "postgres", "postgres")
                folder.chmod(0o700)
        self._run(
            ensure_services._pg_bin("initdb"), "-D", str(self.data), "--auth=trust",
            "-U", "postgres", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            self.pg_ctl, "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """A fast shutdown: connections are cut, as when the server restarts."""
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")

    def copy_database(self, source_url: str) -> None:
        """Create this cluster's database as a copy of ``source_url`` (schema and rows):
        much faster than running every migration."""
        dump, restore = ensure_services._pg_bin("pg_dump"), ensure_services._pg_bin("pg_restore")
        admin = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        subprocess.run([ensure_services._pg_bin("psql"), admin, "-qc",
                        f'CREATE DATABASE "{self.name}"'], check=True)  # fmt: skip
        dumped = subprocess.run(
            [dump, "--format=custom", "--no-owner", "--no-acl", source_url],
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [restore, "--no-owner", "--no-acl", "--exit-on-error", "-d", self.url],
            input=dumped.stdout, check=True, capture_output=True,
        )  # fmt: skip

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), connect_timeout=3
        ) as conn:
            return conn.execute(sql, params).fetchall()

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


# --- Celery and the web ----------------------------------------------------------------------------


def start_worker(
    name: str, *, broker: str, database: str, queue: str, folder: Path, **env: str
) -> subprocess.Popen:
    """A real ``celery worker`` process (solo pool) on ``queue``; its log is in ``folder``."""
    log = (folder / f"worker-{name}.log").open("ab")
    return subprocess.Popen(
        [str(BIN / "celery"), "-A", "portal", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
         "-n", f"drill-{name}-{os.getpid()}@%h"],
        cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
        env=child_env(CELERY_BROKER_URL=broker, DATABASE_URL=database, CELERY_QUEUE=queue, **env),
    )  # fmt: skip


def start_web(*, broker: str, database: str, queue: str, folder: Path, **env: str):
    """gunicorn serving the portal on a free port: (process, base URL)."""
    port = free_port()
    log = (folder / "web.log").open("ab")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4", "--timeout", "30", "--graceful-timeout", "5"],
        cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
        env=child_env(CELERY_BROKER_URL=broker, DATABASE_URL=database, CELERY_QUEUE=queue, **env),
    )  # fmt: skip
    wait_until(lambda: accepts_connections(port), timeout=30, every=0.1)
    return process, f"http://127.0.0.1:{port}"


def manage(*args: str, database: str, broker: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py`` in a process of its own, against ``database``."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, capture_output=True, text=True,
        env=child_env(DATABASE_URL=database, CELERY_BROKER_URL=broker, **env), timeout=120,
    )  # fmt: skip


def sms_references(path: Path) -> list[str]:
    """The references of the texts the file-backed provider accepted, in order."""
    if not path.exists():
        return []
    return [json.loads(line)["reference"] for line in path.read_text().splitlines()]


class Clock:
    """Seconds since the drill started, for the figures it reports."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self.started
