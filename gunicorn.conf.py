"""gunicorn's settings for the portal's web process.

gunicorn reads ``./gunicorn.conf.py`` by itself; ``Procfile``, the ``Dockerfile`` and
``docker-compose.yml`` also name it with ``--config``. Command-line flags (bind, workers)
win over what is set here.

The access log (ASVS 14.2.1, 15.3.4, 16.2.5) writes one line per request on stdout:

    2026-03-29T01:30:00.123Z gunicorn.access request_id=… ip=203.0.113.7 method=GET
    path="/admin/accounts/customer/" status=200 bytes=5120 ms=38 agent="Mozilla/5.0 …"

- The path only, never the query string: staff searches put NI numbers, names, email
  addresses and phone numbers in ``?q=``. Nor the ``Referer``, which is the previous page's
  URL with its query (the referrer policy is ``same-origin``, so it is sent in full). The
  logger also blanks those atoms, so a format edited later cannot bring them back.
- ``ip`` is the client's address as the rate limits and the application log see it:
  the ``TRUSTED_PROXY_COUNT``-th address from the right of ``X-Forwarded-For``, or the
  peer's address when no proxy is trusted (allauth's rule, ``accounts/security_log.py``).
- ``request_id`` is the ``X-Request-ID`` the portal answered with
  (``portal/request_middleware.py``), the same id as on the application's log lines.
- The time is ISO 8601 in UTC, like the application log (``lib/logs.py``).

``forwarded_allow_ips``: with ``BEHIND_PROXY`` the proxy's ``X-Forwarded-Proto`` is
trusted, as Django trusts it (``SECURE_PROXY_SSL_HEADER``): from ``FORWARDED_ALLOW_IPS``
(the proxy's addresses or networks, comma-separated; ``*`` when unset or empty, which needs a network
where only the proxy reaches the web process). Without ``BEHIND_PROXY`` nobody is trusted
to set it, so a client cannot make a plain-HTTP request look secure.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger

_TRUE = {"1", "true", "yes", "on"}

BEHIND_PROXY = os.environ.get("BEHIND_PROXY", "").strip().lower() in _TRUE
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "").strip() or 0)

# Atoms that would put a query string or another page's URL in the log.
NEVER_LOGGED = ("r", "q", "f", "{referer}i", "{query_string}e", "{raw_uri}e", "{http_referer}e")


def client_ip(environ: dict[str, Any], trusted_proxy_count: int) -> str:
    """The client's address: allauth's rule (``get_client_ip_from_xff``), so the access log
    names the same address as the rate limits and the application log."""
    forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
    if trusted_proxy_count > 0 and forwarded:
        addresses = forwarded.split(",")
        if len(addresses) < trusted_proxy_count:
            return "-"  # fewer entries than proxies: misconfigured, name nobody
        return addresses[-trusted_proxy_count].strip() or "-"
    return str(environ.get("REMOTE_ADDR") or "-")


def _printable(text: str) -> str:
    """Control characters (a ``%0A`` in a path arrives decoded) written as escapes."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class PortalAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in NEVER_LOGGED:
            atoms[key] = "-"
        atoms["U"] = _printable(atoms.get("U") or "-")
        atoms["a"] = _printable(atoms.get("a") or "-")
        atoms["client"] = _printable(client_ip(environ, TRUSTED_PROXY_COUNT))
        now = datetime.now(UTC)
        atoms["utc"] = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        return atoms


logger_class = PortalAccessLogger
accesslog = "-"
access_log_format = (
    "%(utc)s gunicorn.access request_id=%({x-request-id}o)s ip=%(client)s method=%(m)s "
    'path="%(U)s" status=%(s)s bytes=%(b)s ms=%(M)s agent="%(a)s"'
)
forwarded_allow_ips = (
    (os.environ.get("FORWARDED_ALLOW_IPS", "").strip() or "*") if BEHIND_PROXY else ""
)
