"""gunicorn's access log (gunicorn.conf.py): no query strings, the client's real address.

Staff searches put NI numbers, names and email addresses in ``?q=``; an access log line is
kept and read far more widely than the data it would leak. The address must be the
client's, as the rate limits and the application log see it, not the proxy's.
"""

from __future__ import annotations

import os
import runpy
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import closed_port as free_port
from tests.helpers import wait_until

BASE_DIR = Path(__file__).resolve().parents[2]
CONFIG = BASE_DIR / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"


def load_config(monkeypatch, **env: str) -> dict:
    for name in ("BEHIND_PROXY", "TRUSTED_PROXY_COUNT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_the_access_log_format_has_the_path_without_its_query_and_the_request_id(monkeypatch):
    log_format = load_config(monkeypatch)["access_log_format"]

    for leaks in ("%(q)s", "%(r)s", "%(f)s", "{referer}i", "{query_string}e", "{raw_uri}e"):
        assert leaks not in log_format
    assert "%(U)s" in log_format
    assert "%({x-request-id}o)s" in log_format
    assert "%(client)s" in log_format


def test_the_proxy_is_trusted_for_the_scheme_only_behind_a_proxy(monkeypatch):
    assert load_config(monkeypatch)["forwarded_allow_ips"] == ""
    assert load_config(monkeypatch, BEHIND_PROXY="false")["forwarded_allow_ips"] == ""
    assert load_config(monkeypatch, BEHIND_PROXY="true")["forwarded_allow_ips"] == "*"
    behind = load_config(monkeypatch, BEHIND_PROXY="true", FORWARDED_ALLOW_IPS="10.0.0.0/8")
    assert behind["forwarded_allow_ips"] == "10.0.0.0/8"


def test_the_client_address_follows_the_rate_limits_rule(monkeypatch):
    client_ip = load_config(monkeypatch)["client_ip"]
    spoofed = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.7"}

    assert client_ip(spoofed, 0) == "10.0.0.2"  # no proxy trusted: the peer
    assert client_ip(spoofed, 1) == "203.0.113.7"  # what our proxy appended, not the spoof
    assert client_ip(spoofed, 2) == "198.51.100.9"
    assert client_ip(spoofed, 3) == "-"  # fewer entries than proxies: nobody
    assert client_ip({"REMOTE_ADDR": "10.0.0.2"}, 1) == "10.0.0.2"


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def gunicorn(tmp_path):
    """The web process as Procfile starts it, behind one trusted proxy."""
    port = free_port()
    log_path = tmp_path / "web.log"
    procfile = (BASE_DIR / "Procfile").read_text()
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    assert "--config gunicorn.conf.py" in web
    env = {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "BEHIND_PROXY": "true",
        "TRUSTED_PROXY_COUNT": "1",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", str(CONFIG), "portal.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    try:
        wait_until(lambda: _accepts(port), timeout=30, every=0.1)
        yield f"http://127.0.0.1:{port}", log_path
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_search_for_an_ni_number_never_reaches_the_access_log(gunicorn):
    base, log_path = gunicorn
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1
        f"{base}/healthz?q=AB123456C",
        headers={
            "X-Forwarded-For": "198.51.100.9, 203.0.113.7",
            "X-Request-ID": "req-0123456789abcdef",
            "Referer": f"{base}/admin/accounts/customer/?q=AB123456C",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200

    line = wait_until(
        lambda: next(
            (x for x in log_path.read_text().splitlines() if "gunicorn.access" in x), None
        ),
        timeout=10,
    )

    assert "AB123456C" not in log_path.read_text()
    assert 'path="/healthz"' in line
    assert "ip=203.0.113.7" in line
    assert "198.51.100.9" not in line
    assert "request_id=req-0123456789abcdef" in line
    assert line[:24].endswith("Z")  # ISO 8601 UTC, like the application log
