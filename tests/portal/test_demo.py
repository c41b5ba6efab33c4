from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = list(User.objects.order_by("email").values_list("email", "is_staff"))

    call_command("seed_demo")

    assert list(User.objects.order_by("email").values_list("email", "is_staff")) == first
    assert ("citizen@example.org", False) in first


def test_demo_citizen_can_sign_in_with_the_printed_password(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")

    response = client.post(
        "/account/login/", {"login": "citizen@example.org", "password": "demo-citizen-password"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/your-services/"


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("seed_demo")
    assert not User.objects.exists()
