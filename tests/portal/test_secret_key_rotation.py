"""The secret key can be rotated without signing everyone out (ASVS 11.1.1).

SECRET_KEY_FALLBACKS (or SECRET_KEY_FALLBACKS_FILE) lists keys that were in use: what they
signed (sessions, password-reset links) is still accepted, and everything new is signed
with the new key. docs/operations.md gives the procedure.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys

import pytest

from tests.accounts.test_security import sign_in
from tests.portal.test_deploy_check import ROOT, production_env, run_deploy_check

pytestmark = pytest.mark.django_db

OLD_KEY = secrets.token_urlsafe(50)
NEW_KEY = secrets.token_urlsafe(50)


def settings_in_a_fresh_process(env: dict[str, str]) -> list[str]:
    script = (
        "import os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "from django.conf import settings; print(json.dumps(settings.SECRET_KEY_FALLBACKS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_old_keys_come_from_the_environment_or_a_file(tmp_path):
    assert settings_in_a_fresh_process(production_env()) == []
    assert settings_in_a_fresh_process(
        production_env(SECRET_KEY_FALLBACKS=f"{OLD_KEY}, {NEW_KEY}")
    ) == [OLD_KEY, NEW_KEY]
    mounted = tmp_path / "fallbacks"
    mounted.write_text(f"{OLD_KEY}\n{NEW_KEY}\n")
    assert settings_in_a_fresh_process(production_env(SECRET_KEY_FALLBACKS_FILE=str(mounted))) == [
        OLD_KEY,
        NEW_KEY,
    ]


def test_the_deploy_check_passes_with_a_strong_old_key_and_refuses_a_weak_one():
    assert run_deploy_check(production_env(SECRET_KEY_FALLBACKS=OLD_KEY)).returncode == 0
    weak = run_deploy_check(production_env(SECRET_KEY_FALLBACKS="short"))
    assert weak.returncode != 0
    assert "security.W025" in weak.stdout + weak.stderr


def test_with_the_old_key_as_a_fallback_people_stay_signed_in(client, citizen, settings):
    settings.SECRET_KEY = OLD_KEY
    sign_in(client, citizen.email)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]

    assert client.get("/your-services/").status_code == 200


def test_without_the_fallback_a_new_key_signs_everyone_out(client, citizen, settings):
    settings.SECRET_KEY = OLD_KEY
    sign_in(client, citizen.email)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, []

    assert client.get("/your-services/").status_code == 302


@pytest.mark.parametrize(("fallbacks", "works"), [([OLD_KEY], True), ([], False)])
def test_a_password_reset_link_sent_before_the_rotation_works_only_with_the_fallback(
    client, citizen, settings, fallbacks, works
):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    settings.SECRET_KEY = OLD_KEY
    token = default_token_generator.make_token(citizen)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, fallbacks

    link = f"/account/password/reset/key/{user_pk_to_url_str(citizen)}-{token}/"
    response = client.get(link, follow=True)

    assert response.status_code == 200
    # The form to choose a new password, or allauth's "bad token" page.
    assert ('name="password1"' in response.content.decode()) is works
