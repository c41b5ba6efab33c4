"""Demo claims in several states, with their timelines."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from accounts.models import Customer, User
from benefits import claims, lifecycle
from benefits.models import Benefit, ClaimStatus

S = ClaimStatus
# email, benefit, the path after submitting (status, reason, by a caseworker?)
DEMO_CLAIMS = [
    (
        "aled@example.org",
        "carers_allowance",
        [(S.IN_REVIEW, "Checking the caring hours with the DWP records")],
    ),
    (
        "jess@example.org",
        "universal_credit",
        [(S.IN_REVIEW, ""), (S.AWARDED, "You meet the conditions: see your award statement")],
    ),
    (
        "margaret@example.org",
        "attendance_allowance",
        [(S.INFORMATION_REQUESTED, "Please send a letter from your GP about your care needs")],
    ),
    (
        "priya@example.org",
        "maternity_allowance",
        [(S.IN_REVIEW, ""), (S.REFUSED, "You can get Statutory Maternity Pay from your employer")],
    ),
    ("citizen@example.org", "jsa", []),
]
SIGNINS: list = []


@transaction.atomic
def seed(*, stdout: TextIO) -> None:
    caseworker = User.objects.filter(email="caseworker@example.org").first()
    for email, code, path in DEMO_CLAIMS:
        customer = Customer.objects.filter(user__email=email).first()
        if customer is None or customer.claims.exists():
            continue
        user = customer.user
        claim = claims.start_or_resume_draft(
            customer=customer, benefit=Benefit.objects.get(code=code), by=user
        )
        if path:
            claim = claims.submit_claim(claim=claim, by=user)
            for status, reason in path:
                claim = lifecycle.transition(claim=claim, to=status, by=caseworker, reason=reason)
        stdout.write(
            f"  created a {code} claim ({claim.get_status_display().lower()}) for {email}\n"
        )
