"""``manage.py run_nudges [--date]``: the daily nudges on demand, for a date."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from notifications import occasions
from notifications.models import Reminder
from tests.journeys.test_nudges import CHILD_16_TITLE, CHILD_20_TITLE, TODAY, child, nudge_notes
from tests.journeys.test_nudges import years_before as before

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("run_nudges", *args, stdout=out)
    return out.getvalue()


def test_it_nudges_for_the_date_given_and_says_how_many(citizen):
    child(citizen, before(TODAY + timedelta(days=10), 16))

    output = run("--date", TODAY.isoformat())

    assert [n.title for n in nudge_notes(citizen)] == [CHILD_16_TITLE]
    assert "Nudges for 15 June 2026: finding what is due" in output
    assert "child turns 16: 1 new, 0 already sent" in output
    assert output.splitlines()[-1] == "Nudges for 15 June 2026: 1 new, 0 already sent"


def test_a_second_run_for_the_same_date_tells_nobody_twice(citizen, queued):
    child(citizen, before(TODAY + timedelta(days=10), 16))
    run("--date", TODAY.isoformat())
    queued.clear()

    output = run("--date", TODAY.isoformat())

    assert len(nudge_notes(citizen)) == Reminder.objects.count() == 1
    assert queued == []
    assert output.splitlines()[-1] == "Nudges for 15 June 2026: 0 new, 1 already sent"


def test_another_date_nudges_what_is_due_then(citizen):
    child(citizen, before(TODAY + timedelta(days=10), 16))
    child(citizen, before(TODAY + timedelta(days=35), 20))  # within 30 days from 20 June
    run("--date", TODAY.isoformat())

    output = run("--date", (TODAY + timedelta(days=8)).isoformat())

    assert [n.title for n in nudge_notes(citizen)] == [CHILD_16_TITLE, CHILD_20_TITLE]
    assert "child turns 20: 1 new, 0 already sent" in output
    assert "child turns 16: 0 new, 1 already sent" in output
    assert output.splitlines()[-1] == "Nudges for 23 June 2026: 1 new, 1 already sent"


def test_a_failing_job_is_a_command_error(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(occasions, "run", broken)

    with pytest.raises(CommandError, match="Nudges for 15 June 2026 failed: database went away"):
        run("--date", TODAY.isoformat())
