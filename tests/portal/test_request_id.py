"""Every response carries a request id that the logs carry too (ASVS 16.2.1, 16.2.4)."""

from __future__ import annotations

import logging
import re

import pytest

pytestmark = pytest.mark.django_db


def test_a_sane_request_id_from_the_proxy_is_kept_and_echoed(client):
    response = client.get("/", headers={"X-Request-ID": "proxy-7f3a:0042.b"})

    assert response["X-Request-ID"] == "proxy-7f3a:0042.b"


@pytest.mark.parametrize(
    "inbound",
    ["", "short", "x" * 129, "abc def ghi jkl", "id-12345678\tevent=sign_in", "-starts-with-dash"],
)
def test_anything_else_is_replaced_by_a_fresh_random_id(client, inbound):
    response = client.get("/", headers={"X-Request-ID": inbound})

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_gets_its_own_id_even_a_redirect(client):
    first = client.get("/your-services/")
    second = client.get("/your-services/")

    assert first.status_code == second.status_code == 302
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_log_lines_outside_a_request_say_so_with_dashes():
    from lib.logs import RequestContextFilter

    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "a task ran", None, None)
    RequestContextFilter().filter(record)

    assert (record.request_id, record.client_ip, record.user_id) == ("-", "-", "-")
