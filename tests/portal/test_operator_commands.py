"""Operator commands: create_staff, export_claims and queue_report."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from benefits.casework import queue as casework_queue
from benefits.claims import applications, lifecycle
from benefits.claims import decisions as claim_decisions
from benefits.models import Claim, ClaimStatus
from tests.claim_factory import awarded_claim, claim_with_request, sent_claim
from tests.conftest import PASSWORD, make_person

pytestmark = pytest.mark.django_db
S = ClaimStatus
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def link_in(output: str) -> str:
    match = re.search(r"(https?://\S+/account/password/reset/key/\S+)", output)
    assert match, output
    return match.group(1)


def set_password_with(client, link: str, password: str):
    """Follow the emailed-style link as the person would and choose a password."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    assert link.startswith(base + "/")
    form_page = client.get(link.removeprefix(base), follow=True)
    if form_page.status_code != 200 or "password1" not in form_page.content.decode():
        return form_page
    return client.post(
        form_page.redirect_chain[-1][0], {"password1": password, "password2": password}
    )


# --- create_staff ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "group", "superuser"),
    [
        ("caseworker", "caseworker", False),
        ("team-leader", "team leader", False),
        ("operator", None, True),
    ],
)
def test_create_staff_makes_a_verified_staff_account_with_no_password(role, group, superuser):
    output = run("create_staff", "New.Person@Example.ORG", "--role", role, "--name", "Nia Jones")

    user = User.objects.get(email="new.person@example.org")
    assert user.is_staff
    assert user.is_active
    assert user.is_superuser is superuser
    assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)  # one address, and no second one added
    assert address.email == "new.person@example.org"
    assert address.verified
    assert address.primary
    assert "Nia Jones" in output
    assert link_in(output).startswith(settings.PORTAL_BASE_URL.rstrip("/") + "/account/")
    for step in ("authenticator app", "passkey", "before the admin opens", "recovery codes"):
        assert step in output.lower()


def test_the_printed_link_sets_a_password_once_and_then_the_person_can_sign_in(client):
    link = link_in(run("create_staff", "nia@example.org", "--role", "caseworker"))

    response = set_password_with(client, link, PASSWORD)

    assert response.status_code == 302
    user = User.objects.get(email="nia@example.org")
    assert user.check_password(PASSWORD)
    assert client.login(email="nia@example.org", password=PASSWORD)
    client.logout()
    again = set_password_with(client, link, "another long passphrase 42")
    assert "password1" not in again.content.decode()  # the link was good for one use
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_new_member_of_staff_must_set_up_mfa_before_the_admin_opens(client):
    run("create_staff", "nia@example.org", "--role", "team-leader")
    client.force_login(User.objects.get(email="nia@example.org"))

    response = client.get("/admin/")

    assert response.status_code == 403
    assert "set up an authenticator app or a passkey" in response.content.decode()


@pytest.mark.parametrize("email", ["nia@example.org", "NIA@Example.org"])
def test_create_staff_refuses_an_existing_email(email):
    run("create_staff", "nia@example.org", "--role", "caseworker")

    with pytest.raises(CommandError, match=r"already exists.*--reset-link") as error:
        run("create_staff", email, "--role", "operator")

    assert error.value.returncode != 0
    assert not User.objects.get(email="nia@example.org").is_superuser


def test_create_staff_refuses_a_citizens_email(citizen):
    with pytest.raises(CommandError, match="already exists"):
        run("create_staff", citizen.email, "--role", "caseworker")
    with pytest.raises(CommandError, match="not an active member of staff"):
        run("create_staff", citizen.email, "--reset-link")

    citizen.refresh_from_db()
    assert not citizen.is_staff


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nia@example.org", "--role", "boss"], "--role must be one of"),
        (["nia@example.org"], "--role is required"),
        (["not-an-email", "--role", "caseworker"], "not a valid email address"),
    ],
)
def test_create_staff_refuses_bad_input_and_creates_nothing(args, message):
    with pytest.raises(CommandError, match=message) as error:
        run("create_staff", *args)

    assert error.value.returncode != 0
    assert not User.objects.exists()


def test_a_bad_role_exits_non_zero_from_the_command_line():
    result = subprocess.run(
        [sys.executable, "manage.py", "create_staff", "nia@example.org", "--role", "boss"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "--role must be one of caseworker, team-leader, operator" in result.stderr


def test_reset_link_prints_a_fresh_link_and_the_old_one_stops_working(client):
    first = link_in(run("create_staff", "nia@example.org", "--role", "caseworker"))

    output = run("create_staff", "nia@example.org", "--role", "caseworker", "--reset-link")

    second = link_in(output)
    assert second != first
    assert "passkey" in output
    assert "password1" not in set_password_with(client, first, PASSWORD).content.decode()
    assert set_password_with(client, second, PASSWORD).status_code == 302
    assert User.objects.get(email="nia@example.org").check_password(PASSWORD)
    assert User.objects.count() == 1


def test_reset_link_leaves_a_password_already_set_in_place_until_the_link_is_used(client):
    run("create_staff", "nia@example.org", "--role", "caseworker")
    user = User.objects.get(email="nia@example.org")
    user.set_password(PASSWORD)
    user.save()

    link = link_in(run("create_staff", "nia@example.org", "--reset-link"))

    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert set_password_with(client, link, "another long passphrase 42").status_code == 302


def test_reset_link_refuses_a_different_role_and_an_unknown_email():
    run("create_staff", "nia@example.org", "--role", "caseworker")

    with pytest.raises(CommandError, match="has the role caseworker, not operator"):
        run("create_staff", "nia@example.org", "--role", "operator", "--reset-link")
    with pytest.raises(CommandError, match="--role is required"):
        run("create_staff", "nobody@example.org", "--reset-link")


def test_reset_link_with_a_role_creates_the_account_when_it_is_missing():
    output = run("create_staff", "nia@example.org", "--role", "caseworker", "--reset-link")

    assert "Created caseworker account" in output
    assert User.objects.get(email="nia@example.org").groups.get().name == "caseworker"


# --- export_claims ---------------------------------------------------------------------


def sent_on(user, day: date, code: str = "carers_allowance") -> Claim:
    """A claim sent through the services on ``day`` (the clock is moved, nothing else)."""
    moment = timezone.make_aware(datetime.combine(day, time(12, 0)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: moment)
        return sent_claim(user, code)


def export(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run("export_claims", *args))))


@pytest.fixture
def named_citizen(citizen):
    """Alice, with the personal data that must never leave in an export."""
    account_services.update_personal_details(
        customer=citizen.customer, by=citizen, legal_given_names="Alicia Mair",
        legal_family_name="Zebedee-Quinn", preferred_name="Ali",
        date_of_birth=date(1980, 4, 12), ni_number="JT 12 34 56 B",
    )  # fmt: skip
    account_services.update_contact_details(
        customer=citizen.customer, by=citizen, phone="07700 900123",
        address_line_1="7 Heol y Frenhines", address_line_2="", town="Caerdydd",
        postcode="CF10 2BQ",
    )  # fmt: skip
    return citizen


@pytest.fixture
def spread(named_citizen, other_citizen, caseworker):
    """Claims sent on three days in March 2026, in several states and benefits."""
    early = sent_on(named_citizen, date(2026, 3, 2))
    middle = sent_on(other_citizen, date(2026, 3, 10), "jsa")
    late = sent_on(named_citizen, date(2026, 3, 20), "jsa")
    casework_queue.assign(claim=middle, to=caseworker, by=caseworker)
    claim_decisions.refuse_claim(claim=late, by=caseworker, reasons="You earn more than the limit.")
    applications.start_or_resume_draft(
        customer=other_citizen.customer, benefit=early.benefit, by=other_citizen
    )  # a draft, never sent
    return {c.reference: Claim.objects.get(pk=c.pk) for c in (early, middle, late)}


def test_export_writes_every_sent_claim_with_the_agreed_columns(spread, caseworker):
    rows = export()

    assert list(rows[0]) == [
        "reference", "benefit_code", "benefit_name", "status", "submitted_at", "due_by",
        "decided_at", "assigned_to", "customer_reference", "priority", "overdue",
    ]  # fmt: skip
    assert [r["reference"] for r in rows] == list(spread)  # oldest first, drafts left out
    middle = rows[1]
    claim = spread[middle["reference"]]
    assert middle["benefit_code"] == "jsa"
    assert middle["benefit_name"] == claim.benefit.name
    assert middle["status"] == "in_review"
    assert datetime.fromisoformat(middle["submitted_at"]) == claim.submitted_at
    assert middle["due_by"] == claim.due_by.isoformat()
    assert middle["decided_at"] == ""
    assert middle["assigned_to"] == caseworker.email
    assert middle["customer_reference"] == claim.customer.reference
    assert middle["priority"] == "0"
    assert datetime.fromisoformat(rows[2]["decided_at"]) == spread[rows[2]["reference"]].decided_at


def test_export_contains_no_names_ni_numbers_or_addresses(spread):
    text = run("export_claims")

    for personal in (
        "Alicia", "Zebedee", "Ali,", "JT123456B", "JT 12 34 56 B", "AB123456C", "Heol",
        "Caerdydd", "CF10", "07700", "1980-04-12", "alice@example.org", "bob@example.org",
        "Alice Example",
    ):  # fmt: skip
        assert personal not in text


def test_export_marks_open_claims_past_their_due_date_as_overdue(spread):
    early, middle, late = spread
    Claim.objects.filter(reference=middle).update(due_by=timezone.localdate() + timedelta(days=3))

    rows = {r["reference"]: r for r in export()}

    assert rows[early]["overdue"] == "yes"  # sent in March: its due date has passed
    assert rows[middle]["overdue"] == "no"
    assert rows[late]["overdue"] == "no"  # decided: no longer due


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--status", "submitted"], [0]),
        (["--status", "submitted", "refused"], [0, 2]),
        (["--status", "in_review", "--status", "refused"], [1, 2]),
        (["--status", "in_review,refused"], [1, 2]),
        (["--from", "2026-03-10"], [1, 2]),
        (["--to", "2026-03-10"], [0, 1]),
        (["--from", "2026-03-10", "--to", "2026-03-10"], [1]),
        (["--from", "2026-03-03", "--to", "2026-03-09"], []),
        (["--benefit", "jsa"], [1, 2]),
        (["--benefit", "jsa", "--status", "refused", "--from", "2026-03-01"], [2]),
    ],
)
def test_export_filters(spread, args, expected):
    references = list(spread)

    rows = export(*args)

    assert [r["reference"] for r in rows] == [references[i] for i in expected]


def test_export_writes_to_a_file_and_reports_the_count_on_stderr(spread, tmp_path):
    target = tmp_path / "claims.csv"
    out, err = io.StringIO(), io.StringIO()

    call_command("export_claims", "--output", str(target), stdout=out, stderr=err)

    assert out.getvalue() == ""
    assert "Exported 3 claims" in err.getvalue()
    with target.open(newline="", encoding="utf-8") as file:
        assert [r["reference"] for r in csv.DictReader(file)] == list(spread)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--status", "pending"], "--status"),
        (["--status", "draft"], "--status"),
        (["--from", "2026-02-30"], "--from"),
        (["--to", "10/03/2026"], "--to"),
        (["--from", "2026-03-10", "--to", "2026-03-01"], "--from"),
        (["--benefit", "lottery_win"], "--benefit"),
        (["--output", "/nonexistent-dir/claims.csv"], "--output"),
    ],
)
def test_export_refuses_bad_input_naming_the_option(citizen, args, option):
    sent_claim(citizen)

    with pytest.raises(CommandError) as error:
        run("export_claims", *args)

    assert str(error.value).startswith(option)
    assert error.value.returncode != 0


def test_export_runs_the_same_queries_however_many_claims(citizen):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = export()
        return len(captured), len(rows)

    sent_claim(citizen)
    few = queries_for_export()
    for n in range(6):  # one claim in progress per person and benefit
        sent_claim(make_person(f"p{n}@example.org"), "jsa")
    many = queries_for_export()

    assert (few[1], many[1]) == (1, 7)
    assert few[0] == many[0]


# --- queue_report ----------------------------------------------------------------------


@pytest.fixture
def queue(citizen, other_citizen, caseworker, team_leader):
    """Open work across two benefits; a claim of each kind that is not open."""
    unassigned = sent_claim(citizen)  # carers_allowance, submitted
    mine = sent_claim(other_citizen)
    casework_queue.assign(claim=mine, to=caseworker, by=caseworker)  # in review, caseworker
    # One claim in progress per person and benefit: more Carer's Allowance claims need
    # more people.
    carol, dai, eve = (make_person(f"{n}@example.org") for n in ("carol", "dai", "eve"))
    waiting, _info = claim_with_request(carol, caseworker)  # waiting for info
    casework_queue.assign(claim=waiting, to=caseworker, by=team_leader)
    late = sent_claim(citizen, "jsa")
    casework_queue.assign(claim=late, to=team_leader, by=team_leader)
    Claim.objects.filter(pk=late.pk).update(due_by=timezone.localdate() - timedelta(days=1))
    also_late = sent_claim(other_citizen, "jsa")  # unassigned and overdue
    Claim.objects.filter(pk=also_late.pk).update(due_by=timezone.localdate() - timedelta(days=9))
    awarded_claim(dai, caseworker)  # decided: not open
    withdrawn = sent_claim(eve, "jsa")
    lifecycle.transition(claim=withdrawn, to=S.WITHDRAWN, by=eve)
    return unassigned


def test_queue_report_json_counts_the_open_claims(queue, caseworker, team_leader):
    report = json.loads(run("queue_report", "--format", "json"))

    assert report["today"] == timezone.localdate().isoformat()
    benefits = {b["code"]: b for b in report["benefits"]}
    assert set(benefits) == {"carers_allowance", "jsa"}
    carers = benefits["carers_allowance"]
    assert carers["name"] == queue.benefit.name
    assert {k: carers[k] for k in carers if k not in ("code", "name")} == {
        "open": 3, "submitted": 1, "in_review": 1, "reconsideration_requested": 0,
        "information_requested": 1, "overdue": 0, "unassigned": 1,
    }  # fmt: skip
    jsa = benefits["jsa"]
    assert (jsa["open"], jsa["submitted"], jsa["in_review"]) == (2, 1, 1)
    assert (jsa["overdue"], jsa["unassigned"]) == (2, 1)
    assert report["totals"]["open"] == 5
    assert report["totals"]["overdue"] == 2
    assert report["totals"]["unassigned"] == 2
    assert report["caseworkers"] == [
        {"email": caseworker.email, "open": 2, "overdue": 0, "waiting": 1},
        {"email": team_leader.email, "open": 1, "overdue": 1, "waiting": 0},
    ]


def test_queue_report_text_is_an_aligned_table(queue, caseworker):
    output = run("queue_report")

    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Benefit"))
    table = lines[header : header + 5]  # heading, rule, two benefits, total
    assert len({len(line) for line in table}) == 1  # every row as wide as the heading
    assert re.fullmatch(r"Total\s+5\s+2\s+2\s+0\s+1\s+2\s+2", table[-1])
    assert table[0].split()[-2:] == ["Overdue", "Unassigned"]
    assert re.search(rf"{re.escape(caseworker.email)}\s+2\s+0\s+1$", output, re.MULTILINE)


def test_queue_report_says_so_when_nothing_is_open(db):
    output = run("queue_report")

    assert re.search(r"^Total(\s+0){7}$", output, re.MULTILINE)
    assert "No claims are assigned to anyone." in output
    assert json.loads(run("queue_report", "--format", "json"))["benefits"] == []


def test_queue_report_refuses_an_unknown_format(db):
    with pytest.raises(CommandError, match="--format"):
        run("queue_report", "--format", "xml")


def test_queue_report_runs_the_same_queries_with_5_or_100_claims(caseworker, team_leader):
    # 50 people with a claim in progress for each of two benefits (one per benefit each).
    people = [make_person(f"p{i}@example.org") for i in range(50)]
    staff = [caseworker, team_leader]

    def add_claims(n: int, start: int) -> None:
        for i in range(start, start + n):
            claim = sent_claim(people[i % 50], "jsa" if i // 50 else "carers_allowance")
            if i % 3:
                casework_queue.assign(claim=claim, to=staff[i % 2], by=team_leader)

    def queries_for_report() -> int:
        with CaptureQueriesContext(connection) as captured:
            run("queue_report", "--format", "json")
        return len(captured)

    add_claims(5, 0)
    with_5 = queries_for_report()
    add_claims(95, 5)
    with_100 = queries_for_report()

    assert json.loads(run("queue_report", "--format", "json"))["totals"]["open"] == 100
    assert with_5 == with_100 == 2
