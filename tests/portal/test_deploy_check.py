"""`manage.py check --deploy` passes with production-like settings, and can fail."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides: str) -> dict[str, str]:
    # A clean environment, as a production host has: nothing from the test run leaks in.
    keep = {"PATH", "HOME", "LANG", "DATABASE_URL", "REDIS_URL", "PORTAL_DATA_DIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
        PORTAL_UPLOAD_SCANNER="benefits.evidence.scanning.ClamdScan",
        CLAMD_SOCKET="/run/clamav/clamd.ctl",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_deploy_check_passes_with_production_settings():
    result = run_deploy_check(production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_refuses_the_generated_development_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = run_deploy_check(env)

    assert result.returncode != 0
    assert "portal.E001" in result.stderr + result.stdout


def test_deploy_check_refuses_debug_and_plain_http():
    result = run_deploy_check(production_env(DEBUG="true"))

    output = result.stderr + result.stdout
    assert result.returncode != 0
    assert "security.W018" in output  # DEBUG on
    assert "security.W008" in output  # no SSL redirect


def test_deploy_check_refuses_uploads_that_are_not_scanned_for_viruses():
    env = production_env()
    del env["PORTAL_UPLOAD_SCANNER"]  # the default: benefits.evidence.scanning.NoScan

    result = run_deploy_check(env)

    assert result.returncode != 0
    assert "portal.E003" in result.stderr + result.stdout


def test_deploy_check_refuses_a_scanner_that_cannot_be_loaded():
    # A typo would otherwise refuse every upload at run time with a server error.
    result = run_deploy_check(
        production_env(PORTAL_UPLOAD_SCANNER="benefits.evidence.scanning.ClamScan")
    )

    assert result.returncode != 0
    assert "portal.E004" in result.stderr + result.stdout
