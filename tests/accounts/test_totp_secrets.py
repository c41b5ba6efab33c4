"""TOTP secrets are 160 bits (RFC 4226's recommended length), the demo's and the tests' too.

An 80-bit secret (16 base32 characters) is refused by current pyotp and by some
authenticator apps: a demo caseworker could not sign in with the secret we print.
"""

from __future__ import annotations

import base64
import io
import time

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command

from accounts import demo
from tests.conftest import TOTP_SECRET

SECRETS = {
    "demo caseworker": demo.CASEWORKER_TOTP,
    "demo team leader": demo.TEAM_LEADER_TOTP,
    "demo operator": demo.OPERATOR_TOTP,
    "tests' staff": TOTP_SECRET,
}


@pytest.mark.parametrize("secret", SECRETS.values(), ids=SECRETS.keys())
def test_totp_secrets_are_160_bits(secret):
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20


@pytest.mark.parametrize("secret", SECRETS.values(), ids=SECRETS.keys())
def test_pyotp_accepts_the_secrets_and_agrees_with_allauth(secret):
    import pyotp

    code = pyotp.TOTP(secret).now()

    assert code == format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.django_db
def test_seeding_again_replaces_a_demo_secret_from_before(settings):
    """A demo database seeded with the old 80-bit secrets gets the printed ones."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    old = Authenticator.objects.get(user__email="caseworker@example.org", type="totp")
    old.data["secret"] = get_adapter().encrypt("CASEWORKERTOTPAA")
    old.save()

    call_command("seed_demo", stdout=io.StringIO())

    totp = Authenticator.objects.get(user__email="caseworker@example.org", type="totp")
    assert get_adapter().decrypt(totp.data["secret"]) == demo.CASEWORKER_TOTP


def test_pyotp_refuses_an_80_bit_secret_like_the_old_demo_ones():
    """The judge above can say no: the old demo secrets were 16 base32 characters."""
    import pyotp

    with pytest.raises(ValueError, match="at least 112 bits"):
        pyotp.TOTP("CASEWORKERTOTPAA").now()
