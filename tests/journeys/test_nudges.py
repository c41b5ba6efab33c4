"""The daily nudges (``journeys.nudges``, run by the occasions engine): life events coming up are told once, on the person's channels
for suggestions, in their language, in a constant number of queries."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts import services as accounts_services
from benefits.claims import decisions as claim_decisions
from benefits.claims import lifecycle
from benefits.models import AwardStatement, ClaimStatus
from benefits.rules.base import state_pension_age_date
from journeys import nudges
from notifications import occasions
from notifications.models import Delivery, Notification, NotificationKind, Reminder
from notifications.services import save_preferences
from tests.claim_factory import awarded_claim, sent_claim
from tests.helpers import set_channels

pytestmark = pytest.mark.usefixtures("queued")  # the job's batches, not the broker

# The job takes the day as an argument; a fixed one keeps the boundaries exact.
TODAY = date(2026, 6, 15)

SPA_TITLE = "You reach State Pension age soon: see what changes"
CHILD_16_TITLE = "A child in your household turns 16 soon: Child Benefit may change"
CHILD_20_TITLE = "Child Benefit usually stops when a child turns 20"
MA_TITLE = "Your Maternity Allowance ends soon: see what you could get next"


def run_nudges(**kwargs) -> occasions.Report:
    """The job the 08:15 beat runs."""
    return occasions.run(group=nudges.GROUP, **kwargs)


def born(user, on: date) -> None:
    accounts_services.update_personal_details(
        customer=user.customer, by=user, legal_given_names="Alice", legal_family_name="Example",
        preferred_name="", date_of_birth=on, ni_number="",
    )  # fmt: skip


def child(user, on: date, *, relationship: str = "child"):
    return accounts_services.add_household_member(
        customer=user.customer, by=user, relationship=relationship, name="Sam",
        date_of_birth=on, joined_on=on,
    )  # fmt: skip


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)  # the test days are never 29 February


def nudge_notes(user) -> list[Notification]:
    ids = Reminder.objects.filter(customer=user.customer).values_list("notification_id")
    return list(Notification.objects.filter(pk__in=ids).order_by("pk"))


def channels_of(note: Notification) -> list[str]:
    return sorted(note.deliveries.values_list("channel", flat=True))


def total() -> tuple[int, int, int]:
    return Reminder.objects.count(), Notification.objects.count(), Delivery.objects.count()


def told(report: occasions.Report) -> int:
    return sum(report.told.values())


# --- State Pension age --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sql_state_pension_age_is_the_rules_date_by_date():
    """Every day of birth from 1950 to 1980, leap days and month ends included."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d::date, "  # noqa: S608 - constant SQL
            + nudges.spa_date_sql("d::date")
            + " FROM generate_series(DATE '1950-01-01', DATE '1980-12-31', interval '1 day') AS d"
        )
        rows = cursor.fetchall()

    assert len(rows) > 11000
    assert [(dob, spa) for dob, spa in rows if spa != state_pension_age_date(dob)] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dob", "today"),
    [
        (date(1960, 1, 15), date(2025, 9, 15)),  # 66: exactly 4 months to go
        (date(1960, 1, 15), date(2026, 1, 15)),  # 66: the day itself
        (date(1960, 6, 10), date(2026, 6, 1)),  # 66 and 3 months: 10 September 2026
        (date(1965, 3, 31), date(2032, 3, 1)),  # 67: 31 March 2032
    ],
)
def test_state_pension_age_within_4_months_is_nudged_once(citizen, queued, dob, today):
    set_channels(citizen, ["email", "sms"])
    born(citizen, dob)
    spa = state_pension_age_date(dob)

    report = run_nudges(today=today)

    assert report.told == {
        "state pension age": 1, "child turns 16": 0, "child turns 20": 0, "award ends": 0
    }  # fmt: skip
    (reminder,) = Reminder.objects.filter(customer=citizen.customer)
    assert reminder.key == f"nudge:state-pension-age:{spa.isoformat()}"
    note = reminder.notification
    assert note.customer == citizen.customer
    assert note.kind == NotificationKind.NUDGE
    assert note.title == SPA_TITLE
    assert note.link == "/journeys/start/retiring/"
    assert channels_of(note) == ["email", "sms"]
    assert report.deliveries == 2
    assert sorted(i for batch in queued for i in batch) == sorted(
        note.deliveries.values_list("pk", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dob", "today"),
    [
        (date(1960, 1, 15), date(2025, 9, 14)),  # 4 months and a day to go
        (date(1960, 1, 15), date(2026, 1, 16)),  # reached yesterday
        (date(1960, 6, 10), date(2026, 2, 10)),  # 66th birthday now, but SPA is 66 and 3 months
        (date(1961, 5, 1), date(2027, 4, 1)),  # 66th birthday soon, but SPA is 67
    ],
)
def test_state_pension_age_further_off_or_past_is_not_nudged(citizen, dob, today):
    born(citizen, dob)

    report = run_nudges(today=today)

    assert told(report) == 0
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_a_customer_without_a_date_of_birth_is_not_nudged(citizen):
    assert citizen.customer.date_of_birth is None

    assert told(run_nudges(today=TODAY)) == 0


# --- Children -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("age", "occasion", "title"),
    [(16, "child turns 16", CHILD_16_TITLE), (20, "child turns 20", CHILD_20_TITLE)],
)
@pytest.mark.parametrize("days", [0, 30])
def test_a_child_turning_16_or_20_within_30_days_is_nudged(citizen, age, occasion, title, days):
    member = child(citizen, years_before(TODAY + timedelta(days=days), age))

    report = run_nudges(today=TODAY)

    assert report.told[occasion] == 1
    assert told(report) == 1
    (reminder,) = Reminder.objects.filter(customer=citizen.customer)
    assert reminder.key == f"nudge:child-{age}:{member.pk}"
    note = reminder.notification
    assert note.kind == NotificationKind.NUDGE
    assert note.title == title
    assert note.link == "/journeys/"
    assert channels_of(note) == ["email"]  # signing up chose email


@pytest.mark.django_db
@pytest.mark.parametrize("age", [16, 20])
def test_a_child_turning_16_or_20_in_31_days_is_not_nudged_yet(citizen, age):
    child(citizen, years_before(TODAY + timedelta(days=31), age))

    assert told(run_nudges(today=TODAY)) == 0


@pytest.mark.django_db
def test_a_child_who_had_their_birthday_yesterday_is_not_nudged(citizen):
    child(citizen, years_before(TODAY - timedelta(days=1), 16))

    assert told(run_nudges(today=TODAY)) == 0


@pytest.mark.django_db
def test_a_child_who_left_the_household_is_not_nudged(citizen):
    member = child(citizen, years_before(TODAY + timedelta(days=10), 16))
    accounts_services.record_member_left(member=member, by=citizen, left_on=TODAY)

    assert told(run_nudges(today=TODAY)) == 0


@pytest.mark.django_db
def test_only_children_are_nudged_about_turning_16_or_20(citizen):
    child(citizen, years_before(TODAY + timedelta(days=10), 20), relationship="partner")
    child(citizen, years_before(TODAY + timedelta(days=10), 16), relationship="other")

    assert told(run_nudges(today=TODAY)) == 0


@pytest.mark.django_db
def test_each_child_is_nudged_for_itself(citizen):
    twins = [child(citizen, years_before(TODAY + timedelta(days=5), 16)) for _ in range(2)]

    report = run_nudges(today=TODAY)

    assert report.told["child turns 16"] == 2
    assert sorted(Reminder.objects.values_list("key", flat=True)) == sorted(
        f"nudge:child-16:{m.pk}" for m in twins
    )


# --- An award ends ------------------------------------------------------------------------------


def maternity_allowance_ends(user, caseworker=None):
    """An awarded Maternity Allowance claim and the day its 39 weeks end."""
    claim = sent_claim(user, "maternity_allowance")
    lifecycle.transition(claim=claim, to=ClaimStatus.IN_REVIEW, by=caseworker)
    claim_decisions.award_claim(
        claim=claim, by=caseworker, reasons="You worked 26 weeks in the 66 before the baby.",
        amount=Decimal("187.18"), adjustment_reason="Checked with the employer",
    )  # fmt: skip
    first = AwardStatement.objects.filter(claim=claim).order_by("version").first()
    return claim, first.effective_from + timedelta(weeks=39)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, 28])
def test_maternity_allowance_ending_within_28_days_is_nudged(citizen, caseworker, days):
    claim, ends = maternity_allowance_ends(citizen, caseworker)

    report = run_nudges(today=ends - timedelta(days=days))

    assert report.told["award ends"] == 1
    assert told(report) == 1
    (reminder,) = Reminder.objects.filter(customer=citizen.customer)
    assert reminder.key == f"nudge:award-ends:{claim.pk}"
    note = reminder.notification
    assert note.kind == NotificationKind.NUDGE
    assert note.title == MA_TITLE
    assert note.link == f"/claims/{claim.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize("days", [29, -1])
def test_maternity_allowance_ending_later_or_ended_is_not_nudged(citizen, caseworker, days):
    _claim, ends = maternity_allowance_ends(citizen, caseworker)

    assert told(run_nudges(today=ends - timedelta(days=days))) == 0


@pytest.mark.django_db
def test_other_awards_and_undecided_claims_are_not_nudged(citizen, other_citizen, caseworker):
    claim, _decision = awarded_claim(citizen, caseworker)  # Carer's Allowance has no end
    pending = sent_claim(other_citizen, "maternity_allowance")
    assert claim.benefit.code == "carers_allowance"

    would_end = timezone.localdate(pending.submitted_at) + timedelta(weeks=39)

    for day in (would_end, would_end - timedelta(days=28)):
        assert told(run_nudges(today=day)) == 0


# --- Once only ----------------------------------------------------------------------------------


def reaching_state_pension_age_soon(today: date) -> date:
    """A date of birth whose State Pension age falls 60 to 90 days after ``today``."""
    dob = years_before(today, 68)
    while not timedelta(days=60) <= state_pension_age_date(dob) - today <= timedelta(days=90):
        dob += timedelta(days=1)
    return dob


def everything_due(user, other, caseworker) -> date:
    """One of each occasion due on the returned day, for two people."""
    _claim, ends = maternity_allowance_ends(user, caseworker)
    today = ends - timedelta(days=7)
    born(user, reaching_state_pension_age_soon(today))
    child(user, years_before(today + timedelta(days=3), 16))
    child(other, years_before(today + timedelta(days=3), 20))
    return today


@pytest.mark.django_db
def test_running_twice_the_same_day_sends_nothing_new(citizen, other_citizen, caseworker, queued):
    today = everything_due(citizen, other_citizen, caseworker)
    first = run_nudges(today=today)
    after_first = total()
    queued.clear()

    second = run_nudges(today=today)
    later = run_nudges(today=today + timedelta(days=1))

    assert first.told == {
        "state pension age": 1, "child turns 16": 1, "child turns 20": 1, "award ends": 1
    }  # fmt: skip
    assert told(second) == 0
    assert told(later) == 0
    assert second.deliveries == 0
    assert total() == after_first
    assert queued == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_nudge_once(citizen, other_citizen, caseworker):
    today = everything_due(citizen, other_citizen, caseworker)
    start = threading.Barrier(2)
    reports, errors = [], []

    def job():
        try:
            start.wait(timeout=10)
            reports.append(run_nudges(today=today))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sum(told(r) for r in reports) == 4
    assert Reminder.objects.count() == 4
    assert len(nudge_notes(citizen)) == 3
    assert len(nudge_notes(other_citizen)) == 1
    notes = Notification.objects.filter(pk__in=Reminder.objects.values("notification_id"))
    assert Delivery.objects.filter(notification__in=notes).count() == 4  # one email each


# --- Channels and language ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_who_turned_off_texts_for_suggestions_gets_no_text(citizen):
    set_channels(citizen, ["email", "sms"])
    save_preferences(
        customer=citizen.customer, channels={"nudge": ["email"], "reminder": ["sms"]},
        quiet_from=None, quiet_until=None,
    )  # fmt: skip
    child(citizen, years_before(TODAY + timedelta(days=1), 16))

    run_nudges(today=TODAY)

    (note,) = nudge_notes(citizen)
    assert channels_of(note) == ["email"]


@pytest.mark.django_db
def test_preferences_for_other_kinds_leave_the_profile_channels_in_force(citizen):
    set_channels(citizen, ["post", "sms"])
    save_preferences(
        customer=citizen.customer, channels={"reminder": ["email"]}, quiet_from=None,
        quiet_until=None,
    )  # fmt: skip
    child(citizen, years_before(TODAY + timedelta(days=1), 16))

    run_nudges(today=TODAY)

    (note,) = nudge_notes(citizen)
    assert channels_of(note) == ["letter", "sms"]


@pytest.mark.django_db
def test_a_person_who_turned_off_every_channel_still_sees_it_in_the_portal(citizen):
    save_preferences(
        customer=citizen.customer, channels={"nudge": []}, quiet_from=None, quiet_until=None
    )
    child(citizen, years_before(TODAY + timedelta(days=1), 16))

    report = run_nudges(today=TODAY)

    (note,) = nudge_notes(citizen)
    assert channels_of(note) == []
    assert report.deliveries == 0


@pytest.mark.django_db
def test_welsh_speakers_get_the_title_rendered_in_welsh(
    citizen, other_citizen, caseworker, monkeypatch
):
    """There is no Welsh catalogue yet, so a stand-in one marks what was translated under
    "cy": the job must render each title under Welsh and pick that one for Welsh speakers."""
    from django.utils.translation import trans_real

    real_gettext = trans_real.gettext

    def welsh_stand_in(message):
        text = real_gettext(message)
        return f"[cy] {text}" if translation.get_language() == "cy" else text

    monkeypatch.setattr(translation._trans, "gettext", welsh_stand_in, raising=False)
    set_channels(other_citizen, ["email"], language="cy")
    _claim, ends = maternity_allowance_ends(other_citizen, caseworker)
    today = ends - timedelta(days=1)
    child(citizen, years_before(today + timedelta(days=1), 16))
    child(other_citizen, years_before(today + timedelta(days=1), 16))

    run_nudges(today=today)

    (english,) = nudge_notes(citizen)
    welsh = [n.title for n in nudge_notes(other_citizen)]
    assert english.title == CHILD_16_TITLE
    assert sorted(welsh) == sorted([f"[cy] {CHILD_16_TITLE}", f"[cy] {MA_TITLE}"])


# --- Cost and wiring ----------------------------------------------------------------------------


COST_DAY = date(2025, 9, 1)  # State Pension age is 66 for those reaching it in 4 months


def due_customers(n: int, start: int = 0) -> None:
    """``n`` customers, each reaching State Pension age and with a child turning 16 soon."""
    for i in range(start, start + n):
        customer = accounts_services.create_customer(
            by=None, email=f"person{i}@example.org", contact_channels=["email"],
            date_of_birth=years_before(COST_DAY + timedelta(days=i % 100), 66),
        )  # fmt: skip
        accounts_services.add_household_member(
            customer=customer, by=None, relationship="child", name="Sam",
            date_of_birth=years_before(COST_DAY + timedelta(days=i % 30), 16), joined_on=COST_DAY,
        )  # fmt: skip


def count_queries(**kwargs) -> tuple[int, occasions.Report]:
    with CaptureQueriesContext(connection) as queries:
        report = run_nudges(**kwargs)
    return len(queries), report


@pytest.mark.django_db
def test_the_job_runs_the_same_queries_for_5_or_500_customers(queued):
    due_customers(5)
    small, report = count_queries(today=COST_DAY)
    assert report.told["state pension age"] == 5

    due_customers(495, start=5)
    large, report = count_queries(today=COST_DAY)

    assert report.told == {
        "state pension age": 495, "child turns 16": 495, "child turns 20": 0, "award ends": 0
    }  # fmt: skip
    assert report.deliveries == 990
    assert report.queued == 990
    assert large == small
    assert (
        report.queries == len(occasions.registered(nudges.GROUP)) + 2
    )  # one page of ids, then an empty one


@pytest.mark.django_db
def test_the_header_count_includes_a_new_nudge_at_once(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    from tests.notifications.test_pages import HOME, header_badge

    child(citizen, years_before(TODAY + timedelta(days=1), 16))
    before = header_badge(citizen_client.get(HOME))[0]  # and now cached

    with django_capture_on_commit_callbacks(execute=True):
        run_nudges(today=TODAY)

    assert header_badge(citizen_client.get(HOME))[0] == before + 1


@pytest.mark.django_db
def test_the_daily_task_runs_the_job(citizen, monkeypatch):
    from journeys import tasks

    monkeypatch.setattr(occasions.timezone, "localdate", lambda: TODAY)
    child(citizen, years_before(TODAY + timedelta(days=1), 20))

    tasks.send_nudges.apply()

    (note,) = nudge_notes(citizen)
    assert note.title == CHILD_20_TITLE


def test_the_job_is_scheduled_daily_with_an_expiry():
    entry = settings.CELERY_BEAT_SCHEDULE["daily-nudges"]

    assert entry["task"] == "journeys.tasks.send_nudges"
    assert entry["options"] == {"expires": 6 * 60 * 60}
