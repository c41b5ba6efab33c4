"""Shared fixtures: personas and helpers. Tests run on the real PostgreSQL and Redis."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made from the
# same test are safe because they do not overlap with it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"


def make_person(email: str, *, staff: bool = False):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    user = User.objects.create_user(email, PASSWORD, is_staff=staff)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def citizen(db):
    """Alice: the signed-in customer whose data a test looks at."""
    return make_person("alice@example.org")


@pytest.fixture
def other_citizen(db):
    """Bob: another customer. Anything of his must be a 404 to Alice."""
    return make_person("bob@example.org")


@pytest.fixture
def operator(db):
    """An operator with full rights in the admin."""
    from accounts.models import User

    user = User.objects.create_superuser("operator@example.org", PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client
