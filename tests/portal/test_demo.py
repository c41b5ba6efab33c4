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


def test_the_demo_has_a_reminder_and_a_nudge_of_every_kind(settings, monkeypatch):
    """Every occasion the daily jobs know has fired at least once in the demo data."""
    from journeys import nudges
    from notifications import occasions
    from notifications.models import Notification, Reminder

    monkeypatch.setattr(occasions, "publish", lambda ids: None)  # no broker in the test
    settings.DEBUG = True
    call_command("seed_demo")

    keys = list(Reminder.objects.values_list("key", flat=True))
    # The key names the occasion: "inforeq:12:due-soon", "nudge:child-16:7", …
    kinds = {
        "information due soon": [k for k in keys if k.endswith(":due-soon")],
        "information overdue": [k for k in keys if k.endswith(":overdue")],
        "payment soon": [k for k in keys if k.startswith("payment:")],
        "decision late": [k for k in keys if k.endswith(":late")],
        "state pension age": [k for k in keys if k.startswith("nudge:state-pension-age:")],
        "child turns 16": [k for k in keys if k.startswith("nudge:child-16:")],
        "child turns 20": [k for k in keys if k.startswith("nudge:child-20:")],
        "award ends": [k for k in keys if k.startswith("nudge:award-ends:")],
    }
    known = {o.name for o in occasions.registered(occasions.REMINDERS)} | {
        o.name for o in occasions.registered(nudges.GROUP)
    }
    assert set(kinds) == known  # a new kind of reminder or nudge needs its demo too
    assert {name: bool(found) for name, found in kinds.items()} == dict.fromkeys(known, True)
    # Each was told to its person: a notification in their account.
    assert Notification.objects.filter(
        pk__in=Reminder.objects.values("notification_id")
    ).count() == len(keys)


def test_margarets_pension_credit_is_awarded_at_the_rules_amount_and_her_aa_is_on_record(
    settings,
):
    """The pensioner couple's demo: Pension Credit priced by the rules (no caseworker's
    hand-typed amount) and the Attendance Allowance award in payment on her record."""
    from django.utils import timezone

    from accounts.selectors import fact_values_in_force
    from benefits.claims.decisions import assess_claim
    from benefits.models import Claim, ClaimStatus

    settings.DEBUG = True
    call_command("seed_demo")
    claims = {
        c.benefit.code: c
        for c in Claim.objects.filter(customer__user__email="margaret@example.org")
    }
    pc = claims["pension_credit"]
    assert pc.status == ClaimStatus.AWARDED
    statement = pc.statements.get()
    assert statement.amount == assess_claim(claim=pc).amount
    assert not any(e["code"] == "adjustment" for e in statement.elements)
    aa = claims["attendance_allowance"]
    assert aa.status == ClaimStatus.RECONSIDERED
    assert aa.statements.exists()
    facts = fact_values_in_force(customer=pc.customer, on=timezone.localdate())
    assert facts["claimant.attendance_allowance"] == "lower"
