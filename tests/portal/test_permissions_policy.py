"""The Permissions-Policy header: powerful browser features are off, except passkeys.

The portal uses none of the camera, microphone, location, payment or device features; a
script that got in (or a page of ours framed elsewhere) must not be able to ask for them.
Passkeys are WebAuthn, which needs ``publickey-credentials-get`` and ``-create`` for our
own origin.
"""

from __future__ import annotations

import pytest

from tests.conftest import sign_in_with_mfa

pytestmark = pytest.mark.django_db

DENIED = [
    "accelerometer", "autoplay", "bluetooth", "browsing-topics", "camera", "display-capture",
    "geolocation", "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
    "serial", "usb", "xr-spatial-tracking",
]  # fmt: skip


def policy(response) -> dict[str, str]:
    header = response["Permissions-Policy"]
    return dict(item.strip().split("=", 1) for item in header.split(","))


def test_powerful_features_are_denied_and_passkeys_allowed_for_our_origin(client):
    features = policy(client.get("/"))

    for feature in DENIED:
        assert features.get(feature) == "()", feature
    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"
    assert all(value in ("()", "(self)") for value in features.values()), features


@pytest.mark.parametrize(
    "path",
    [
        "/",  # a page
        "/your-services/",  # a redirect to sign in
        "/no-such-page/",  # not found
        "/account/session/",  # JSON, 401
        "/healthz",
        "/static/favicon.svg",  # served by WhiteNoise, before most middleware
    ],
)
def test_every_response_carries_the_policy(client, path):
    assert "camera=()" in client.get(path)["Permissions-Policy"]


def test_responses_to_signed_in_people_and_staff_carry_it_too(client, caseworker, citizen):
    sign_in_with_mfa(client, caseworker)
    assert "camera=()" in client.get("/admin/")["Permissions-Policy"]
    client.force_login(citizen)
    assert "camera=()" in client.get("/admin/")["Permissions-Policy"]  # a 404 for a citizen
    assert "camera=()" in client.get("/notifications/badge/")["Permissions-Policy"]
