"""The daily reminders about claims (``benefits.claims.reminders``, run by the occasions
engine): what is due is told once, on the person's channels, in their language, in a
constant number of queries."""

from __future__ import annotations

import threading
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from benefits.claims import applications, lifecycle
from benefits.claims import documents as claim_documents
from benefits.models import Claim, InformationRequest, PaymentStatus
from notifications import occasions
from notifications.models import Delivery, Notification, NotificationKind, Reminder
from notifications.services import save_preferences
from tests.claim_factory import awarded_claim, refused_claim, sent_claim
from tests.conftest import make_person
from tests.helpers import set_channels

pytestmark = pytest.mark.usefixtures("queued")  # the job's batches, not the broker

TODAY = timezone.localdate


def run_reminders(**kwargs) -> occasions.Report:
    """The job the 07:30 beat runs."""
    return occasions.run(group=occasions.REMINDERS, **kwargs)


def ask(user, *, due_in: int, claim=None):
    """A claim (new unless given) with a request for information due in ``due_in`` days."""
    claim = claim or sent_claim(user)
    request = claim_documents.request_information(
        claim=claim, by=None, what="Send a letter from the person you care for.",
        due_on=TODAY() + timedelta(days=due_in),
    )  # fmt: skip
    # A date on a weekend or bank holiday moves to the next working day; the job's windows
    # are what is tested here, so the date is exactly ``due_in`` days on whatever today is.
    InformationRequest.objects.filter(pk=request.pk).update(due_on=TODAY() + timedelta(days=due_in))
    request.refresh_from_db()
    return request


def make_late(claim: Claim) -> Claim:
    """Move the day the claim was sent back beyond its service level. There is no service
    for travelling in time, and the job reads the clock itself."""
    days = claim.benefit.service_level_days * 7 // 5 + 1
    Claim.objects.filter(pk=claim.pk).update(submitted_at=timezone.now() - timedelta(days=days))
    return Claim.objects.get(pk=claim.pk)


def reminder_notes(user) -> list[Notification]:
    """Notifications the job wrote (those with a Reminder row), not the services' own."""
    ids = Reminder.objects.filter(customer=user.customer).values_list("notification_id")
    return list(Notification.objects.filter(pk__in=ids).order_by("pk"))


def channels_of(note: Notification) -> list[str]:
    return sorted(note.deliveries.values_list("channel", flat=True))


def total() -> tuple[int, int, int]:
    return Reminder.objects.count(), Notification.objects.count(), Delivery.objects.count()


# --- Each occasion --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("due_in", [0, 3])
def test_information_due_within_3_days_is_reminded_once(citizen, queued, due_in):
    set_channels(citizen, ["email", "sms"])
    request = ask(citizen, due_in=due_in)
    claim = request.claim

    report = run_reminders()

    assert report.told["information due soon"] == 1
    assert sum(report.told.values()) == 1
    (reminder,) = Reminder.objects.filter(customer=citizen.customer)
    assert reminder.key == f"inforeq:{request.pk}:due-soon"
    note = reminder.notification
    assert note.customer == citizen.customer
    assert note.kind == NotificationKind.REMINDER
    assert note.title == "Reminder: we need information for your Carer's Allowance claim"
    assert note.link == f"/claims/{claim.pk}/"
    assert note.read_at is None
    assert channels_of(note) == ["email", "sms"]
    assert set(note.deliveries.values_list("status", flat=True)) == {"pending"}
    assert report.deliveries == 2
    assert sorted(i for batch in queued for i in batch) == sorted(
        note.deliveries.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_overdue_information_is_reminded(citizen):
    request = ask(citizen, due_in=0)

    report = run_reminders(today=TODAY() + timedelta(days=1))

    assert report.told == {
        "information due soon": 0, "information overdue": 1, "payment soon": 0,
        "decision late": 0,
    }  # fmt: skip
    (note,) = reminder_notes(citizen)
    assert Reminder.objects.get().key == f"inforeq:{request.pk}:overdue"
    assert note.kind == NotificationKind.REMINDER
    assert note.title == "Overdue: we still need information for your Carer's Allowance claim"
    assert note.link == f"/claims/{request.claim_id}/"
    assert channels_of(note) == ["email"]  # signing up chose email


@pytest.mark.django_db
def test_a_payment_due_within_3_days_is_reminded(citizen, caseworker):
    set_channels(citizen, ["post"])
    claim, _decision = awarded_claim(citizen, caseworker)
    payment = claim.payments.filter(status=PaymentStatus.SCHEDULED).order_by("due_on").first()

    report = run_reminders(today=payment.due_on - timedelta(days=3))

    assert report.told["payment soon"] == 1
    assert sum(report.told.values()) == 1
    assert Reminder.objects.get().key == f"payment:{payment.pk}:soon"
    (note,) = reminder_notes(citizen)
    assert note.kind == NotificationKind.REMINDER
    assert note.title == "Your next Carer's Allowance payment is due in the next few days"
    assert note.link == f"/claims/{claim.pk}/"
    assert channels_of(note) == ["letter"]


@pytest.mark.django_db
def test_a_decision_past_its_service_level_is_apologised_for(citizen):
    claim = make_late(sent_claim(citizen))

    report = run_reminders()

    assert report.told["decision late"] == 1
    assert sum(report.told.values()) == 1
    assert Reminder.objects.get().key == f"claim:{claim.pk}:late"
    (note,) = reminder_notes(citizen)
    assert note.kind == NotificationKind.STATUS
    assert note.title == (
        "Your Carer's Allowance decision is taking longer than it should: we are sorry"
    )
    assert note.link == f"/claims/{claim.pk}/"
    assert channels_of(note) == ["email"]


@pytest.mark.django_db
@pytest.mark.parametrize("status", sorted(lifecycle.OPEN))
def test_a_late_decision_is_apologised_for_in_every_open_status(citizen, status):
    """The job's open statuses are the lifecycle's (one list), not a copy of them."""
    claim = make_late(sent_claim(citizen))
    Claim.objects.filter(pk=claim.pk).update(status=status)  # the job reads, never moves it

    assert run_reminders().told["decision late"] == 1


# --- Not due ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_information_due_in_4_days_is_not_reminded_yet(citizen):
    ask(citizen, due_in=4)

    report = run_reminders()

    assert sum(report.told.values()) == 0
    assert reminder_notes(citizen) == []
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_answered_requests_are_not_reminded(citizen):
    request = ask(citizen, due_in=1)
    claim_documents.answer_information_request(
        request=request, by=citizen, answer="Letter attached."
    )
    before = total()

    report = run_reminders(today=TODAY() + timedelta(days=5))  # would be overdue

    assert sum(report.told.values()) == 0
    assert total() == before


@pytest.mark.django_db
def test_requests_on_closed_claims_are_not_reminded(citizen):
    request = ask(citizen, due_in=1)
    applications.withdraw_claim(claim=request.claim, by=citizen)
    make_late(request.claim)
    before = total()

    report = run_reminders()
    overdue = run_reminders(today=TODAY() + timedelta(days=5))

    assert sum(report.told.values()) + sum(overdue.told.values()) == 0
    assert total() == before


@pytest.mark.django_db
def test_decided_claims_are_never_late(citizen, caseworker):
    claim, _decision = refused_claim(citizen, caseworker)
    make_late(claim)

    assert sum(run_reminders().told.values()) == 0


@pytest.mark.django_db
def test_a_claim_within_its_service_level_is_not_late(citizen):
    claim = sent_claim(citizen)
    days = claim.benefit.service_level_days * 7 // 5 - 1
    Claim.objects.filter(pk=claim.pk).update(submitted_at=timezone.now() - timedelta(days=days))

    assert sum(run_reminders().told.values()) == 0


@pytest.mark.django_db
def test_paid_and_distant_payments_are_not_reminded(citizen, caseworker):
    claim, _decision = awarded_claim(citizen, caseworker)
    first, second = claim.payments.order_by("due_on")[:2]
    # Payments are marked paid by the payments system, which has no service here.
    claim.payments.filter(pk=first.pk).update(status=PaymentStatus.PAID, paid_at=timezone.now())
    assert (second.due_on - first.due_on).days > 3

    paid = run_reminders(today=first.due_on - timedelta(days=1))
    early = run_reminders(today=second.due_on - timedelta(days=4))

    assert sum(paid.told.values()) + sum(early.told.values()) == 0
    assert not Reminder.objects.exists()


# --- Once only ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_twice_the_same_day_sends_nothing_new(citizen, other_citizen, queued):
    ask(citizen, due_in=2)
    ask(other_citizen, due_in=0)
    first = run_reminders()
    after_first = total()
    queued.clear()

    second = run_reminders()

    assert sum(first.told.values()) == 2
    assert sum(second.told.values()) == 0
    assert second.deliveries == 0
    assert total() == after_first
    assert queued == []


@pytest.mark.django_db
def test_each_occasion_is_told_once_as_it_moves_on(citizen):
    """Due soon, then overdue: two reminders for the same request, each once."""
    ask(citizen, due_in=1)

    run_reminders()
    run_reminders(today=TODAY() + timedelta(days=1))
    run_reminders(today=TODAY() + timedelta(days=2))
    run_reminders(today=TODAY() + timedelta(days=3))

    keys = sorted(Reminder.objects.values_list("key", flat=True))
    assert [k.split(":")[-1] for k in keys] == ["due-soon", "overdue"]
    assert len(reminder_notes(citizen)) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_send_each_reminder_once(citizen, other_citizen):
    ask(citizen, due_in=1)
    ask(other_citizen, due_in=2)
    make_late(sent_claim(other_citizen))
    start = threading.Barrier(2)
    reports, errors = [], []

    def job():
        try:
            start.wait(timeout=10)
            reports.append(run_reminders())
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
    assert sum(sum(r.told.values()) for r in reports) == 3
    assert Reminder.objects.count() == 3
    assert len(reminder_notes(citizen)) == 1
    assert len(reminder_notes(other_citizen)) == 2
    notes = Notification.objects.filter(pk__in=Reminder.objects.values("notification_id"))
    assert Delivery.objects.filter(notification__in=notes).count() == 3  # one email each


# --- Channels ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_who_turned_off_texts_for_reminders_gets_no_text(citizen):
    set_channels(citizen, ["email", "sms"])
    save_preferences(
        customer=citizen.customer, channels={"reminder": ["email"], "status": ["sms"]},
        quiet_from=None, quiet_until=None,
    )  # fmt: skip
    ask(citizen, due_in=1)

    run_reminders()

    (note,) = reminder_notes(citizen)
    assert channels_of(note) == ["email"]


@pytest.mark.django_db
def test_a_person_who_turned_off_every_channel_still_sees_it_in_the_portal(citizen):
    save_preferences(
        customer=citizen.customer, channels={"reminder": []}, quiet_from=None, quiet_until=None
    )
    ask(citizen, due_in=1)

    report = run_reminders()

    (note,) = reminder_notes(citizen)
    assert channels_of(note) == []
    assert report.deliveries == 0


@pytest.mark.django_db
def test_without_preferences_the_profile_channels_apply_post_as_letter(citizen):
    set_channels(citizen, ["phone", "post", "sms"])  # no channel for phone calls
    ask(citizen, due_in=1)

    run_reminders()

    (note,) = reminder_notes(citizen)
    assert channels_of(note) == ["letter", "sms"]


@pytest.mark.django_db
def test_preferences_for_other_kinds_leave_the_profile_channels_in_force(citizen):
    set_channels(citizen, ["post"])
    save_preferences(
        customer=citizen.customer, channels={"status": ["email"]}, quiet_from=time(21),
        quiet_until=time(7),
    )  # fmt: skip
    ask(citizen, due_in=1)

    run_reminders()

    (note,) = reminder_notes(citizen)
    assert channels_of(note) == ["letter"]


# --- Language ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_welsh_speakers_get_the_title_rendered_in_welsh(citizen, other_citizen, monkeypatch):
    """There is no Welsh catalogue yet, so a stand-in one marks what was translated under
    "cy": the job must render each title under Welsh and pick that one for Welsh speakers."""
    from django.utils.translation import trans_real

    real_gettext = trans_real.gettext

    def welsh_stand_in(message):
        text = real_gettext(message)
        return f"[cy] {text}" if translation.get_language() == "cy" else text

    monkeypatch.setattr(translation._trans, "gettext", welsh_stand_in, raising=False)
    set_channels(other_citizen, ["email"], language="cy")
    ask(citizen, due_in=1)
    ask(other_citizen, due_in=1)

    run_reminders()

    (english,) = reminder_notes(citizen)
    (welsh,) = reminder_notes(other_citizen)
    assert english.title == "Reminder: we need information for your Carer's Allowance claim"
    assert welsh.title == "[cy] Reminder: we need information for your Carer's Allowance claim"


@pytest.mark.django_db
def test_welsh_speakers_get_the_welsh_pattern_and_percent_signs_survive(citizen, monkeypatch):
    patterns = {"en-gb": "100%% sure: %1$s", "cy": "Cymraeg 100%% %1$s"}
    monkeypatch.setattr(occasions, "title_patterns", lambda title, args: patterns)
    set_channels(citizen, ["email"], language="cy")
    ask(citizen, due_in=1)

    run_reminders()

    (note,) = reminder_notes(citizen)
    assert note.title == "Cymraeg 100% Carer's Allowance"


# --- Cost ---------------------------------------------------------------------------------------------------


def due_requests(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        ask(make_person(f"person{i}@example.org"), due_in=1)


def count_queries(**kwargs) -> tuple[int, occasions.Report]:
    with CaptureQueriesContext(connection) as queries:
        report = run_reminders(**kwargs)
    return len(queries), report


@pytest.mark.django_db
def test_the_job_runs_the_same_queries_for_5_or_200_customers(queued):
    due_requests(5)
    small, report = count_queries()
    assert report.told["information due soon"] == 5

    due_requests(195, start=5)
    large, report = count_queries()

    assert report.told["information due soon"] == 195
    assert report.deliveries == 195
    assert large == small
    assert (
        report.queries == len(occasions.registered(occasions.REMINDERS)) + 2
    )  # one page of ids, then an empty one


@pytest.mark.django_db
def test_new_deliveries_are_queued_once_each_a_page_at_a_time(queued, monkeypatch):
    monkeypatch.setattr(occasions, "TASK_BATCH", 2)  # pages of 50 instead of 5000
    due_requests(120)

    report = run_reminders()

    job_ids = [i for batch in queued for i in batch]
    assert report.queued == 120
    assert [len(b) for b in queued] == [50, 50, 20]
    assert sorted(job_ids) == sorted(
        Delivery.objects.filter(
            notification__in=Reminder.objects.values("notification_id")
        ).values_list("pk", flat=True)
    )
    assert (
        report.queries == len(occasions.registered(occasions.REMINDERS)) + 4
    )  # three pages and an empty one


@pytest.mark.django_db
def test_the_header_count_includes_a_new_reminder_at_once(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    from tests.notifications.test_pages import HOME, header_badge

    with django_capture_on_commit_callbacks(execute=True):
        ask(citizen, due_in=1)  # the claim's own status messages are unread
    before = header_badge(citizen_client.get(HOME))[0]  # and now cached
    assert before == Notification.objects.filter(customer=citizen.customer).count()

    with django_capture_on_commit_callbacks(execute=True):
        run_reminders()

    assert header_badge(citizen_client.get(HOME))[0] == before + 1
