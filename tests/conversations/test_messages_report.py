"""manage.py messages_report: open conversations by team and by how long they have waited
for us (in working days), and the breaches of the service level, as text and as JSON."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conversations.models import ConversationStatus
from tests.conftest import make_person
from tests.conversations.casework_factory import conversation, team, topic

pytestmark = pytest.mark.django_db
S = ConversationStatus

# A Wednesday with no bank holiday in the fortnight before it.
NOW = timezone.make_aware(datetime(2026, 3, 11, 12, 0))
TODAY = date(2026, 3, 11)


def at(day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2026, 3, day, hour, 0))


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("messages_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def wednesday(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    assert timezone.localdate() == TODAY


@pytest.fixture
def conversations(wednesday, citizen, caseworker):
    pensions = team("Pensions", caseworker)
    payments = topic("payments", days=2)
    complaints = topic("complaints", days=5)
    made = {
        # Waiting for us, by age: today; Tuesday and Monday (1 and 2 working days);
        # Saturday (3: Monday to Wednesday); last Tuesday (6).
        "today": conversation(citizen, on=payments, team=pensions, waiting_since=at(11, 9), due=date(2026, 3, 13)),
        "tuesday": conversation(citizen, on=payments, team=pensions, waiting_since=at(10), due=date(2026, 3, 12)),
        "monday": conversation(citizen, on=payments, waiting_since=at(9), due=date(2026, 3, 11)),
        "saturday": conversation(citizen, on=complaints, team=pensions, waiting_since=at(7), due=date(2026, 3, 9), assigned_to=caseworker),
        "last_week": conversation(citizen, on=complaints, waiting_since=at(3), due=date(2026, 3, 5)),
        # Not waiting for us.
        "answered": conversation(citizen, on=payments, team=pensions, status=S.WAITING_FOR_YOU),
        "closed": conversation(citizen, on=payments, team=pensions, status=S.CLOSED),
    }  # fmt: skip
    made["answered"].needs_supervisor = True
    made["answered"].save(update_fields=["needs_supervisor"])
    return made


def test_json_counts_open_conversations_by_team_and_age_and_lists_the_breaches(
    conversations, caseworker
):
    report = json.loads(run("--format", "json"))

    assert report["today"] == "2026-03-11"
    teams = {t["team"]: t for t in report["teams"]}
    assert teams["Pensions"] == {
        "team": "Pensions", "open": 4, "waiting_for_us": 3, "waiting_for_you": 1,
        "unassigned": 2, "overdue": 1, "needs_supervisor": 1,
        "under_1": 1, "1_2": 1, "3_5": 1, "over_5": 0,
    }  # fmt: skip
    assert teams["No team"] == {
        "team": "No team", "open": 2, "waiting_for_us": 2, "waiting_for_you": 0,
        "unassigned": 2, "overdue": 1, "needs_supervisor": 0,
        "under_1": 0, "1_2": 1, "3_5": 0, "over_5": 1,
    }  # fmt: skip
    assert report["totals"]["open"] == 6
    assert report["totals"]["overdue"] == 2
    assert {t["topic"]: (t["service_level_days"], t["waiting_for_us"], t["overdue"]) for t in report["topics"]} == {
        "Payments": (2, 3, 0), "Complaints": (5, 2, 2),
    }  # fmt: skip
    # Due on Monday 9 and Thursday 5: the longest overdue first, in working days late.
    breaches = report["breaches"]
    assert breaches["count"] == 2
    assert [(b["reference"], b["due_on"], b["working_days_late"], b["team"], b["assigned_to"])
            for b in breaches["oldest"]] == [
        (conversations["last_week"].reference, "2026-03-05", 4, "No team", None),
        (conversations["saturday"].reference, "2026-03-09", 2, "Pensions", caseworker.email),
    ]  # fmt: skip
    # The person's words (the subject) are not in an operator's report.
    assert "About my payments" not in json.dumps(report)


def test_text_is_aligned_tables_with_the_breaches(conversations):
    output = run()

    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Team"))
    by_team = lines[header : header + 5]  # heading, rule, two teams, total
    assert len({len(line) for line in by_team}) == 1
    assert re.fullmatch(r"Total\s+6\s+5\s+1\s+4\s+2\s+1(\s+1\s+2\s+1\s+1)", by_team[-1])
    assert "Over 5 working days" in by_team[0]
    assert "Breaches of the service level: 2" in output
    assert re.search(
        rf"^{conversations['last_week'].reference}\s+Complaints\s+No team\s+2026-03-05\s+4\s+unassigned$",
        output,
        re.MULTILINE,
    )


def test_an_empty_report_says_so(db):
    output = run()

    assert re.search(r"^Total(\s+0){10}$", output, re.MULTILINE)
    assert "Nothing is waiting for us." in output
    assert "Breaches of the service level: 0" in output
    report = json.loads(run("--format", "json"))
    assert (report["teams"], report["breaches"]) == ([], {"count": 0, "oldest": []})


def test_an_unknown_format_is_refused(db):
    with pytest.raises(CommandError, match="--format"):
        run("--format", "xml")


def test_the_report_runs_the_same_queries_with_5_or_60_conversations(wednesday):
    people = [make_person(f"p{i}@example.org") for i in range(5)]
    teams = [team("A"), team("B"), None]

    def add(n: int) -> None:
        for i in range(n):
            conversation(
                people[i % 5], team=teams[i % 3], on=topic(f"t{i % 4}"),
                waiting_since=NOW - timedelta(days=i % 9), due=TODAY - timedelta(days=i % 4 - 1),
            )  # fmt: skip

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            run("--format", "json")
        return len(captured)

    add(5)
    few = queries()
    add(55)
    assert queries() == few == 3
