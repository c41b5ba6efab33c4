"""With HTTPS on, every cookie the portal sets is a ``__Host-`` cookie (ASVS 3.3.1, 3.3.3).

The prefix makes the browser refuse the cookie unless it is ``Secure``, has ``Path=/`` and
no ``Domain``: a sibling subdomain or a plain-HTTP page cannot plant or overwrite it. Tests
run with HTTPS off (browsers refuse ``__Host-`` cookies over plain HTTP), so this runs the
production settings in a fresh process.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.portal.test_deploy_check import ROOT, production_env

SCRIPT = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory

# The cookies as Django's middleware writes them for a form page (a CSRF token) that also
# keeps something in the session. Only here, to need no database, the session data goes in
# the cookie itself: the cookie's name and flags come from the same settings.
settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
def view(request):
    get_token(request)
    request.session["seen"] = True
    return HttpResponse()
request = RequestFactory().get("/", secure=True, headers={"host": "portal.example.org"})
cookies = dict(SessionMiddleware(CsrfViewMiddleware(view))(request).cookies)

print(json.dumps({
    "names": {
        "session": settings.SESSION_COOKIE_NAME,
        "csrf": settings.CSRF_COOKIE_NAME,
        "language": settings.LANGUAGE_COOKIE_NAME,
    },
    "language": {
        "secure": settings.LANGUAGE_COOKIE_SECURE,
        "path": settings.LANGUAGE_COOKIE_PATH,
        "domain": settings.LANGUAGE_COOKIE_DOMAIN,
    },
    "set": {
        name: {"secure": bool(m["secure"]), "path": m["path"], "domain": m["domain"]}
        for name, m in cookies.items()
    },
}))
"""


def test_with_https_on_every_cookie_is_a_host_cookie():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["names"] == {
        "session": "__Host-sessionid",
        "csrf": "__Host-csrftoken",
        "language": "__Host-django_language",
    }
    assert seen["language"] == {"secure": True, "path": "/", "domain": None}
    # The cookies really sent, with what the prefix demands of them.
    assert set(seen["set"]) == {"__Host-sessionid", "__Host-csrftoken"}
    for name, cookie in seen["set"].items():
        assert cookie == {"secure": True, "path": "/", "domain": ""}, name


def test_without_https_the_names_stay_plain_so_development_works(settings):
    # Browsers refuse a __Host- cookie over plain HTTP: development and tests keep the names.
    assert settings.HTTPS is False
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
