"""Make sure PostgreSQL and Redis answer before the portal starts or the tests run.

Order of preference, for each service:

1. the URL in the environment (DATABASE_URL / REDIS_URL), if one is set: it must answer;
2. the default server on localhost (PostgreSQL on 5432, Redis on 6379);
3. a project-private server under .data/, started here when the server binaries exist
   (initdb/pg_ctl/postgres, redis-server); its URL is written to .data/services.env,
   which portal/settings.py reads.

If none of these works, it stops with a message naming the ways out. The database is
created when the server answers but the database is missing.

Run with the project's virtualenv Python: ``.venv/bin/python scripts/ensure_services.py``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PORTAL_DATA_DIR", ROOT / ".data"))
ENV_FILE = DATA / "services.env"

DEFAULT_DATABASE_URL = "postgres://postgres@localhost:5432/portal"
DEFAULT_REDIS_URL = "redis://localhost:6379/0"
PRIVATE_PG_PORT = int(os.environ.get("PORTAL_PRIVATE_PG_PORT", "54329"))
PRIVATE_REDIS_PORT = int(os.environ.get("PORTAL_PRIVATE_REDIS_PORT", "63799"))
PRIVATE_DATABASE_URL = f"postgres://postgres@127.0.0.1:{PRIVATE_PG_PORT}/portal"
PRIVATE_REDIS_URL = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"

HELP = """
Ways out:
  - install and start the system services, e.g.
      apt-get install -y postgresql redis-server   (then start them)
  - or run them in containers:  docker compose up -d db redis
      export DATABASE_URL=postgres://portal:portal@localhost:5432/portal
  - or point the portal at servers you have:
      export DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/portal
      export REDIS_URL=redis://HOST:6379/0
"""


def say(message: str) -> None:
    print(f"[services] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[services] ERROR: {message}\n{HELP}", file=sys.stderr, flush=True)
    raise SystemExit(1)


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_conninfo(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql", path=f"/{dbname}"))


def _db_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not name:
        fail(f"DATABASE_URL {url!r} names no database.")
    return name


def postgres_answers(url: str) -> bool:
    try:
        with psycopg.connect(_pg_conninfo(url, "postgres"), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def ensure_database(url: str) -> None:
    name = _db_name(url)
    with psycopg.connect(_pg_conninfo(url, "postgres"), autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(name)))
            say(f"created database {name!r}")


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian keeps the server binaries off PATH, under the versioned folder.
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _as_unprivileged(cmd: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        fail("running as root and there is no 'postgres' user to run a private server as.")
    if not runuser:
        fail("running as root and 'runuser' is missing, so a private PostgreSQL cannot start.")
    return [runuser, "-u", "postgres", "--", *cmd]


def start_private_postgres() -> str:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        fail("PostgreSQL does not answer and initdb/pg_ctl were not found to start a private one.")
    cluster, sockets = DATA / "pg", DATA / "pg-run"
    DATA.mkdir(parents=True, exist_ok=True)
    for folder in (cluster, sockets):
        folder.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
            folder.chmod(0o700)
    if not (cluster / "PG_VERSION").exists():
        say(f"creating a private PostgreSQL cluster in {cluster}")
        subprocess.run(
            _as_unprivileged(
                [initdb, "-D", str(cluster), "--auth=trust", "-U", "postgres", "-E", "UTF8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    say(f"starting a private PostgreSQL on 127.0.0.1:{PRIVATE_PG_PORT}")
    options = (
        f"-p {PRIVATE_PG_PORT} -k {sockets} -c listen_addresses=127.0.0.1 "
        # A development/test cluster: durability is traded for speed.
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    subprocess.run(
        _as_unprivileged(
            [
                pg_ctl,
                "-D",
                str(cluster),
                "-l",
                str(cluster / "server.log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return PRIVATE_DATABASE_URL


# --- Redis ------------------------------------------------------------------------------


def redis_answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def start_private_redis() -> str:
    server = shutil.which("redis-server")
    if not server:
        fail("Redis does not answer and redis-server was not found to start a private one.")
    folder = DATA / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    say(f"starting a private Redis on 127.0.0.1:{PRIVATE_REDIS_PORT}")
    subprocess.run(
        [
            server,
            "--port", str(PRIVATE_REDIS_PORT),
            "--bind", "127.0.0.1",
            "--daemonize", "yes",
            "--pidfile", str(folder / "redis.pid"),
            "--logfile", str(folder / "redis.log"),
            "--dir", str(folder),
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
    )  # fmt: skip
    return PRIVATE_REDIS_URL


def _wait(check, url: str, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check(url):
            return True
        time.sleep(0.2)
    return False


# --- Putting it together ----------------------------------------------------------------


def resolve(name: str, default: str, private: str, answers, start_private) -> tuple[str, bool]:
    """Return (url, is_private) for a service that answers, starting one if needed."""
    explicit = os.environ.get(name)
    if explicit:
        if not _wait(answers, explicit, 5):
            fail(f"{name}={explicit} does not answer.")
        return explicit, False
    if answers(default):
        return default, False
    if answers(private):
        return private, True
    say(f"nothing answers at {default}")
    url = start_private()
    if not _wait(answers, url):
        fail(f"the private server started for {name} does not answer at {url}.")
    return url, True


def write_env_file(values: dict[str, str]) -> None:
    if values:
        DATA.mkdir(parents=True, exist_ok=True)
        lines = ["# Written by scripts/ensure_services.py: project-private servers."]
        lines += [f"{key}={value}" for key, value in values.items()]
        ENV_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif ENV_FILE.exists():
        ENV_FILE.unlink()


def main() -> None:
    private: dict[str, str] = {}
    db_url, db_private = resolve(
        "DATABASE_URL", DEFAULT_DATABASE_URL, PRIVATE_DATABASE_URL, postgres_answers,
        start_private_postgres,
    )  # fmt: skip
    ensure_database(db_url)
    if db_private:
        private["DATABASE_URL"] = db_url
    redis_url, redis_private = resolve(
        "REDIS_URL", DEFAULT_REDIS_URL, PRIVATE_REDIS_URL, redis_answers, start_private_redis
    )
    if redis_private:
        private["REDIS_URL"] = redis_url
    write_env_file(private)
    say(f"PostgreSQL: {db_url.split('@')[-1]}  Redis: {redis_url.split('@')[-1]}")


def stop_private() -> None:
    pg_ctl = _pg_bin("pg_ctl")
    cluster = DATA / "pg"
    if pg_ctl and (cluster / "postmaster.pid").exists():
        subprocess.run(
            _as_unprivileged([pg_ctl, "-D", str(cluster), "-m", "fast", "stop"]), check=False
        )
    pidfile = DATA / "redis" / "redis.pid"
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), 15)
    write_env_file({})
    say("private servers stopped")


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop_private()
    else:
        main()
