"""``manage.py run_reminders [--date]``: the daily reminders on demand, for a date."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.utils import timezone

from notifications import occasions
from notifications.models import Reminder
from tests.benefits.test_reminders import ask

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("run_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_sends_what_is_due_that_day_and_says_how_many(citizen, other_citizen):
    ask(citizen, due_in=2)  # due soon
    ask(other_citizen, due_in=1)
    day = timezone.localdate()

    output = run("--date", day.isoformat())

    assert Reminder.objects.count() == 2
    assert f"Reminders for {day:%-d %B %Y}: finding what is due" in output
    assert "information due soon: 2 new, 0 already sent" in output
    assert output.splitlines()[-1] == f"Reminders for {day:%-d %B %Y}: 2 new, 0 already sent"


def test_a_second_run_for_the_same_date_sends_nothing_new(citizen, queued):
    ask(citizen, due_in=2)
    day = timezone.localdate().isoformat()
    run("--date", day)
    sent = Reminder.objects.count()
    queued.clear()

    output = run("--date", day)

    assert Reminder.objects.count() == sent == 1
    assert queued == []  # no delivery handed to the workers again
    assert output.splitlines()[-1].endswith(": 0 new, 1 already sent")


def test_a_later_date_sends_what_falls_due_then(citizen):
    info = ask(citizen, due_in=2)
    run("--date", timezone.localdate().isoformat())  # due soon

    later = info.due_on + timedelta(days=1)
    output = run("--date", later.isoformat())  # now overdue

    assert sorted(Reminder.objects.values_list("key", flat=True)) == [
        f"inforeq:{info.pk}:due-soon",
        f"inforeq:{info.pk}:overdue",
    ]
    assert "information overdue: 1 new, 0 already sent" in output
    assert output.splitlines()[-1] == f"Reminders for {later:%-d %B %Y}: 1 new, 0 already sent"


def test_without_a_date_it_runs_for_today(citizen):
    ask(citizen, due_in=0)

    output = run()

    assert f"Reminders for {timezone.localdate():%-d %B %Y}: 1 new" in output


def test_a_date_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="is not a date like"):
        run("--date", "2026-02-30")
    assert not Reminder.objects.exists()


def test_a_failing_job_exits_non_zero_with_the_reason(monkeypatch, capsys):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(occasions, "run", broken)

    with pytest.raises(CommandError, match="database went away"):
        run("--date", "2026-12-04")
    utility = ManagementUtility(["manage.py", "run_reminders", "--date", "2026-12-04"])
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code != 0
