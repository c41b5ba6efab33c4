"""TRACE and TRACK are refused everywhere (ASVS 13.4.4)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["TRACE", "TRACK"])
@pytest.mark.parametrize("path", ["/", "/account/login/", "/your-services/", "/admin/"])
def test_trace_and_track_are_method_not_allowed(client, method, path):
    response = client.generic(method, path, headers={"X-Secret": "echo me"})

    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]
    assert b"echo me" not in response.content


def test_trace_is_refused_for_a_signed_in_person_too(citizen_client):
    response = citizen_client.generic("TRACE", "/your-services/")

    assert response.status_code == 405


def test_ordinary_methods_still_work(client):
    assert client.get("/").status_code == 200
    assert client.head("/").status_code == 200
