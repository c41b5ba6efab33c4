"""Demo sign-ins. The Accounts issue adds customers, households and MFA here."""

from __future__ import annotations

from typing import TextIO

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from portal.demo import DemoSignIn

SIGNINS = [
    DemoSignIn("Citizen", "citizen@example.org", "demo-citizen-password"),
    DemoSignIn("Operator (admin)", "operator@example.org", "demo-operator-password"),
]


@transaction.atomic
def seed(*, stdout: TextIO) -> None:
    for signin in SIGNINS:
        is_operator = signin.role.startswith("Operator")
        user = User.objects.filter(email__iexact=signin.email).first()
        if user is None:
            user = User.objects.create_user(
                signin.email, signin.password, is_staff=is_operator, is_superuser=is_operator
            )
            stdout.write(f"  created {signin.role.lower()} {signin.email}\n")
        # allauth needs a verified primary address before it lets the person in.
        EmailAddress.objects.update_or_create(
            user=user, email=signin.email, defaults={"verified": True, "primary": True}
        )
