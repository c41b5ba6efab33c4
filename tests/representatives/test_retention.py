"""The retention schedule applied: exactly what the registry says goes, at its production
period, with the clock moved past it (and just short of it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.retention import ANONYMISE, RULES, schedule
from benefits.models import Claim, Decision, Document
from conversations.models import Attachment, Conversation, ConversationStatus, Message
from notifications.models import Delivery, Notification
from representatives.models import RetentionRun
from representatives.retention import services
from tests.claim_factory import claim_with_document, draft_claim
from tests.conversations import casework_factory as conversations

DAY = timedelta(days=1)


def apply(at, **kwargs) -> RetentionRun:
    return services.apply_retention(apply=True, by=None, now=at, **kwargs)


def nonzero(run: RetentionRun) -> dict[str, int]:
    return {key: count for key, count in run.counts.items() if count}


def on_disk(row) -> bool:
    return row.file.storage.exists(row.file.name)


@pytest.fixture
def records(citizen, caseworker):
    """Alice's records, all made now: a refused claim with a document, a draft for another
    benefit, a closed conversation with a file, and the notifications these sent her."""
    from benefits.claims import decisions

    claim, document = claim_with_document(citizen)
    decision = decisions.refuse_claim(claim=claim, by=caseworker, reasons="Over the limit.")
    claim.refresh_from_db()
    draft = draft_claim(citizen, "attendance_allowance")
    conversation = conversations.conversation(citizen, status=ConversationStatus.CLOSED)
    attachment = conversations.attachment(conversation.messages.get())
    notifications = Notification.objects.filter(customer=citizen.customer).count()
    assert notifications
    assert on_disk(document)
    assert on_disk(attachment)
    return {
        "start": timezone.now(),
        "claim": claim,
        "decision": decision,
        "document": document,
        "draft": draft,
        "conversation": conversation,
        "attachment": attachment,
        "notifications": notifications,
    }


@pytest.mark.django_db
def test_records_just_inside_their_periods_stay(records):
    # A year less a day: the shortest periods here (drafts, message files) are not over.
    run = apply(records["start"] + relativedelta(years=1) - DAY)

    assert run.applied
    assert nonzero(run) == {}
    assert Claim.objects.filter(pk=records["draft"].pk).exists()
    assert on_disk(records["document"])
    assert on_disk(records["attachment"])


@pytest.mark.django_db
def test_each_record_goes_when_its_period_is_over_and_not_before(records):
    start, claim = records["start"], records["claim"]
    document, attachment = records["document"], records["attachment"]

    # 14 months and a day: the evidence (14 months after the decision), the draft and the
    # message's file (a year) go; the claim, the conversation and notifications stay.
    run = apply(start + relativedelta(months=14) + DAY)
    assert nonzero(run) == {
        "benefits.claim.draft": 1,
        "benefits.document": 1,
        "conversations.attachment": 1,
    }
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not on_disk(document), "the evidence file left on disk"
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not on_disk(attachment), "the message's file left on disk"
    assert not Claim.objects.filter(pk=records["draft"].pk).exists()
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Message.objects.filter(conversation=records["conversation"]).exists()

    # Two years and a day: the closed conversation and the notifications.
    run = apply(start + relativedelta(years=2) + DAY)
    assert nonzero(run) == {
        "conversations.conversation": 1,
        "notifications.notification": records["notifications"],
    }
    assert not Conversation.objects.filter(pk=records["conversation"].pk).exists()
    assert not Notification.objects.filter(customer=claim.customer).exists()
    assert not Delivery.objects.filter(notification__customer=claim.customer).exists()

    # Six years less a day: the refused claim stays; and a day after six years it goes,
    # with its decision, timeline and history.
    assert nonzero(apply(start + relativedelta(years=6) - DAY)) == {}
    run = apply(start + relativedelta(years=6) + DAY)
    assert nonzero(run) == {"benefits.claim.ended": 1}
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not Decision.objects.filter(pk=records["decision"].pk).exists()
    assert not Claim.history.filter(id=claim.pk).exists(), "a copy of the claim stayed in history"


@pytest.mark.django_db
def test_an_awarded_claim_goes_with_its_statements_and_payments_six_years_after_it_closed(
    citizen, caseworker
):
    from benefits.claims import lifecycle
    from benefits.models import AwardStatement, ClaimStatus, Payment
    from tests.claim_factory import awarded_claim

    claim, _decision = awarded_claim(citizen, caseworker)
    lifecycle.transition(claim=claim, to=ClaimStatus.CLOSED, by=caseworker)
    assert Payment.objects.filter(claim=claim).exists()
    start = timezone.now()

    apply(start + relativedelta(years=6) + DAY)

    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not AwardStatement.objects.filter(claim_id=claim.pk).exists()
    assert not Payment.objects.filter(claim_id=claim.pk).exists()


@pytest.mark.django_db
def test_a_dry_run_counts_and_changes_nothing(records):
    later = records["start"] + relativedelta(years=7)
    before = services.count_due(now=later)

    run = services.apply_retention(apply=False, by=None, now=later)

    assert not run.applied
    assert nonzero(run) == {key: n for key, n in before.items() if n}
    assert run.counts["benefits.claim.ended"] == 1
    assert services.count_due(now=later) == before
    assert Claim.objects.filter(pk=records["claim"].pk).exists()
    assert on_disk(records["document"])
    assert on_disk(records["attachment"])


@pytest.mark.django_db
def test_a_second_apply_changes_nothing(records):
    later = records["start"] + relativedelta(years=7)
    first = apply(later, batch_size=1)  # one row per transaction: batches carry on
    assert first.total > 3

    second = apply(later)

    assert nonzero(second) == {}
    assert RetentionRun.objects.filter(applied=True).count() == 2


@pytest.mark.django_db
def test_every_entry_is_a_query_the_database_answers():
    now = timezone.now() + relativedelta(years=10)
    for rule in schedule():
        services.due(rule, now=now).count()  # a wrong lookup path raises here
        model = rule.model_class
        for name in list(rule.anonymise) + list(rule.files):
            model._meta.get_field(name)
        if rule.action == ANONYMISE:
            assert rule.anonymise or rule.files
    assert {"benefits.claim.ended", "accounts.customer.closed", "notifications.email"} <= set(RULES)


def test_the_nightly_run_is_on_beat(settings):
    from portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "representatives.retention.apply_retention"
    assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_the_nightly_task_applies_the_schedule(citizen):
    from notifications.services import notify
    from representatives.retention.tasks import apply_retention

    old = notify(customer=citizen.customer, kind="status", title="Old news")
    recent = notify(customer=citizen.customer, kind="status", title="Recent news")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - relativedelta(years=2) - DAY
    )

    run_id = apply_retention.apply().get()

    run = RetentionRun.objects.get(pk=run_id)
    assert run.applied
    assert run.by is None
    assert run.finished_at
    assert run.counts["notifications.notification"] == 1
    assert list(Notification.objects.filter(customer=citizen.customer)) == [recent]


@pytest.mark.django_db
def test_the_command_runs_a_dry_run_and_refuses_without_a_mode(records):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "dry run: nothing changed" in out.getvalue()
    assert "benefits.claim.ended" in out.getvalue()
    assert Claim.objects.filter(pk=records["draft"].pk).exists()
    with pytest.raises(CommandError):
        call_command("apply_retention", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_progress_bar_draws_on_a_terminal_only():
    import io

    from representatives.management.commands.apply_retention import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar("benefits.claim.ended", 5, 10)
    bar("benefits.claim.ended", 10, 10)
    assert "[###############---------------]" in stream.getvalue()
    assert stream.getvalue().endswith("10/10\n")


@pytest.mark.django_db
def test_a_batch_costs_the_same_queries_for_one_row_or_many(citizen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.services import notify

    def queries_to_remove(count: int) -> int:
        made = [
            notify(customer=citizen.customer, kind="status", title="Old").pk for _ in range(count)
        ]
        Notification.objects.filter(pk__in=made).update(
            created_at=timezone.now() - relativedelta(years=3)
        )
        with CaptureQueriesContext(connection) as queries:
            run = apply(timezone.now())
        assert run.counts["notifications.notification"] == count
        return len(queries)

    assert queries_to_remove(1) == queries_to_remove(5)


@pytest.mark.django_db
def test_history_is_still_kept_after_a_run(records, caseworker):
    from benefits.claims import lifecycle
    from benefits.models import ClaimStatus
    from tests.claim_factory import sent_claim

    apply(records["start"] + relativedelta(years=7))
    claim = sent_claim(records["claim"].customer.user)
    lifecycle.transition(claim=claim, to=ClaimStatus.WITHDRAWN, by=caseworker)
    Claim.objects.filter(pk=claim.pk).delete()  # outside the schedule: history as before

    assert Claim.history.filter(id=claim.pk, history_type="-").exists()
