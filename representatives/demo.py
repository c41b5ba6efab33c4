"""Demo representatives: Sam Shah acts for Priya Shah (see ``manage.py seed_demo``).

Sam signs in with two-step sign-in (acting on someone's claims needs it): the TOTP secret
is printed with the demo sign-ins.
"""

from __future__ import annotations

from typing import TextIO

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts import demo as account_demo
from accounts.acting import Scope
from accounts.models import Customer, User
from lib.demo import DemoSignIn
from representatives import consents, services
from representatives.models import Representation

REPRESENTATIVE_TOTP = "SAMSHAHDEMOSECRETFORTOTPCODESAAA"
SAM: dict = {
    "role": "Representative (acts for Priya)",
    "email": "sam@example.org",
    "customer": {"legal_given_names": "Sam", "legal_family_name": "Shah", "town": "Manchester"},
    "household": [],
    "facts": [],
}
SIGNINS = [
    DemoSignIn(
        SAM["role"],
        SAM["email"],
        account_demo.CITIZEN_PASSWORD,
        note=f"TOTP secret {REPRESENTATIVE_TOTP}",
    )
]


@transaction.atomic
def seed(*, stdout: TextIO) -> None:
    account_demo.seed_citizen(SAM, stdout)
    sam = User.objects.get(email=SAM["email"])
    if not Authenticator.objects.filter(user=sam, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(sam, REPRESENTATIVE_TOTP)
    priya = Customer.objects.filter(user__email="priya@example.org").select_related("user").first()
    if priya is None or priya.user is None:
        return
    if Representation.objects.filter(customer=priya).exists():
        return
    # She agreed to be asked about research into the service (withdraw it on "Your consents").
    consents.grant_consent(customer=priya, purpose=consents.RESEARCH, by=priya.user)
    _representation, token = services.invite(
        customer=priya, by=priya.user, name="Sam Shah", email=sam.email,
        scopes=[Scope.SEE, Scope.ACT, Scope.TALK, Scope.TOLD],
    )  # fmt: skip
    services.accept(token=token, by=sam, has_mfa=True)
    stdout.write("  Sam Shah (sam@example.org) can act for Priya Shah\n")
