"""Payments and due dates fall on working days in the person's nation, and a claim's
payment periods tile its award: no gap, no overlap, amounts to the penny."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import update_contact_details
from benefits.casework.forms import RequestInformationForm
from benefits.claims import decisions as claim_decisions
from benefits.claims import documents as claim_documents
from benefits.claims import lifecycle
from benefits.claims import payments as claim_payments
from benefits.models import ClaimEvent, ClaimStatus, EventKind, Payment, PaymentKind, PaymentStatus
from benefits.rules.base import (
    Nation,
    add_working_days,
    is_working_day,
    nation_for_postcode,
    working_day_on_or_after,
    working_day_on_or_before,
)
from tests.claim_factory import sent_claim

S = ClaimStatus
ENGLAND, SCOTLAND, NI = Nation.ENGLAND_AND_WALES, Nation.SCOTLAND, Nation.NORTHERN_IRELAND


@pytest.fixture
def clock(monkeypatch):
    """Set today: ``clock(date(2026, 1, 5))``. Everything that asks Django for the time
    (``timezone.now``, ``timezone.localdate``, auto_now fields) sees that day at noon."""

    def set_today(day: date) -> None:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/London"))
        monkeypatch.setattr(timezone, "now", lambda: noon)

    return set_today


def live_in(user, postcode: str) -> None:
    update_contact_details(
        customer=user.customer, by=user, phone="", address_line_1="1 High Street",
        address_line_2="", town="Town", postcode=postcode,
    )  # fmt: skip


def awarded(user, code: str, amount: str):
    """A claim sent and awarded today at ``amount`` (a caseworker's amount, with a reason)."""
    claim = sent_claim(user, code)
    lifecycle.transition(claim=claim, to=S.IN_REVIEW, by=None)
    decision = claim_decisions.award_claim(
        claim=claim, by=None, amount=Decimal(amount), adjustment_reason="Worked out from evidence"
    )
    return claim, decision.statement


def regular(claim):
    return list(
        Payment.objects.filter(claim=claim, kind=PaymentKind.REGULAR)
        .exclude(status=PaymentStatus.CANCELLED)
        .order_by("period_start")
    )


def assert_tiled(payments, start: date) -> None:
    """The periods run on from ``start``, each the day after the one before."""
    assert payments[0].period_start == start
    for before, after in itertools.pairwise(payments):
        assert after.period_start == before.period_end + timedelta(days=1)


# --- The working-day calendar -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "nation"),
    [
        ("EH1 1YZ", SCOTLAND), ("g2 3ab", SCOTLAND), ("ZE1 0AA", SCOTLAND), ("TD1 1AA", SCOTLAND),
        ("TD15 1AA", ENGLAND),  # Berwick-upon-Tweed
        ("GL1 1AA", ENGLAND), ("CF10 1AA", ENGLAND), ("LS1 4DY", ENGLAND),
        ("BT1 1AA", NI), ("", ENGLAND), ("nonsense", ENGLAND),
    ],
)  # fmt: skip
def test_the_nation_comes_from_the_postcode_area(postcode, nation):
    assert nation_for_postcode(postcode) == nation


@pytest.mark.parametrize(
    ("due", "nation", "paid"),
    [
        (date(2026, 12, 25), ENGLAND, date(2026, 12, 24)),  # Christmas Day, a Friday
        (date(2026, 12, 28), ENGLAND, date(2026, 12, 24)),  # Boxing Day (substitute), weekend
        (date(2026, 4, 6), ENGLAND, date(2026, 4, 2)),  # Easter Monday, weekend, Good Friday
        (date(2026, 4, 6), SCOTLAND, date(2026, 4, 6)),  # not a holiday in Scotland
        (date(2026, 1, 2), SCOTLAND, date(2025, 12, 31)),  # 2 January and New Year's Day
        (date(2026, 1, 2), ENGLAND, date(2026, 1, 2)),
        (date(2026, 11, 30), SCOTLAND, date(2026, 11, 27)),  # St Andrew's Day, a Monday
        (date(2026, 11, 30), ENGLAND, date(2026, 11, 30)),
        (date(2026, 3, 17), NI, date(2026, 3, 16)),  # St Patrick's Day
        (date(2026, 7, 13), NI, date(2026, 7, 10)),  # the Twelfth (substitute), weekend
        (date(2026, 7, 13), ENGLAND, date(2026, 7, 13)),
        (date(2026, 1, 25), ENGLAND, date(2026, 1, 23)),  # a Sunday
        (date(2026, 1, 21), ENGLAND, date(2026, 1, 21)),  # an ordinary Wednesday
    ],
)
def test_a_payment_due_on_a_weekend_or_bank_holiday_is_paid_the_working_day_before(
    due, nation, paid
):
    assert working_day_on_or_before(due, nation) == paid


def test_working_days_skip_weekends_and_the_nations_bank_holidays():
    # From Christmas Eve 2026: 25, 26, 27, 28 December are not working days anywhere.
    assert add_working_days(date(2026, 12, 24), 1, ENGLAND) == date(2026, 12, 29)
    # From 31 December 2025: Scotland also keeps 2 January.
    assert add_working_days(date(2025, 12, 31), 1, ENGLAND) == date(2026, 1, 2)
    assert add_working_days(date(2025, 12, 31), 1, SCOTLAND) == date(2026, 1, 5)
    # Ten working days over Easter 2026 in England take two days more than ten weekdays.
    assert add_working_days(date(2026, 3, 30), 10, ENGLAND) == date(2026, 4, 15)
    assert add_working_days(date(2026, 3, 30), 10, SCOTLAND) == date(2026, 4, 14)
    assert working_day_on_or_after(date(2026, 11, 28), SCOTLAND) == date(2026, 12, 1)
    assert working_day_on_or_after(date(2026, 11, 28), ENGLAND) == date(2026, 11, 30)


# --- Payment dates through the year -----------------------------------------------------------


def test_monthly_payments_for_a_year_fall_on_working_days_in_england(db, citizen, clock):
    """Universal Credit from 19 December 2025: each month ends on the 18th and is paid
    seven days later, on the 25th, or the working day before."""
    clock(date(2025, 12, 19))
    claim, first = awarded(citizen, "universal_credit", "400.00")
    clock(date(2026, 6, 20))
    claim_decisions.revise_award(
        claim=claim, by=None, amount=Decimal("400.00"), reason="Your rent changed",
        effective_from=date(2026, 6, 19),
    )  # fmt: skip

    payments = regular(claim)

    assert [p.due_on for p in payments] == [
        date(2026, 1, 23),  # Sunday
        date(2026, 2, 25),
        date(2026, 3, 25),
        date(2026, 4, 24),  # Saturday
        date(2026, 5, 22),  # Spring bank holiday, a Monday
        date(2026, 6, 25),
        date(2026, 7, 24),  # Saturday
        date(2026, 8, 25),
        date(2026, 9, 25),
        date(2026, 10, 23),  # Sunday
        date(2026, 11, 25),
        date(2026, 12, 24),  # Christmas Day
    ]
    assert all(is_working_day(p.due_on, ENGLAND) for p in payments)
    assert_tiled(payments, first.effective_from)
    assert all(p.period_start.day == 19 and p.period_end.day == 18 for p in payments)
    assert {p.amount for p in payments} == {Decimal("400.00")}


def test_four_weekly_payments_move_before_easter(db, citizen, clock):
    clock(date(2026, 1, 31))
    claim, statement = awarded(citizen, "carers_allowance", "84.00")

    payments = regular(claim)

    assert [p.due_on for p in payments] == [
        date(2026, 3, 6),
        date(2026, 4, 2),  # Good Friday
        date(2026, 5, 1),
        date(2026, 5, 29),
        date(2026, 6, 26),
        date(2026, 7, 24),
    ]
    assert_tiled(payments, statement.effective_from)
    assert {p.amount for p in payments} == {Decimal("336.00")}


@pytest.mark.parametrize(
    ("awarded_on", "postcode", "first_paid"),
    [
        # The month to 26 December is due on 2 January 2026.
        (date(2025, 11, 27), "EH1 1YZ", date(2025, 12, 31)),
        (date(2025, 11, 27), "LS1 4DY", date(2026, 1, 2)),
        # The month to 23 November is due on St Andrew's Day, 30 November 2026.
        (date(2026, 10, 24), "G2 3AB", date(2026, 11, 27)),
        (date(2026, 10, 24), "CF10 1AA", date(2026, 11, 30)),
        (date(2026, 10, 24), "", date(2026, 11, 30)),
    ],
)
def test_payments_follow_the_bank_holidays_of_the_persons_nation(
    db, citizen, clock, awarded_on, postcode, first_paid
):
    live_in(citizen, postcode)
    clock(awarded_on)

    claim, _statement = awarded(citizen, "universal_credit", "400.00")

    assert regular(claim)[0].due_on == first_paid


# --- A new statement from a date part-way through a period --------------------------------------


def test_a_statement_from_mid_period_splits_that_period_with_no_gap_or_overlap(db, citizen, clock):
    """£84 a week is £12 a day; £105 a week is £15 a day. Periods: 2 Feb – 1 Mar,
    2 Mar – 29 Mar, … The change is from 12 March, told on 14 March."""
    clock(date(2026, 2, 2))
    claim, first = awarded(citizen, "carers_allowance", "84.00")
    clock(date(2026, 3, 14))

    second = claim_decisions.revise_award(
        claim=claim, by=None, amount=Decimal("105.00"), reason="Your care hours changed",
        effective_from=date(2026, 3, 12),
    )  # fmt: skip

    payments = regular(claim)
    assert_tiled(payments, first.effective_from)
    rows = [(p.statement_id, p.period_start, p.period_end, p.amount) for p in payments[:4]]
    assert rows == [
        (first.pk, date(2026, 2, 2), date(2026, 3, 1), Decimal("336.00")),
        (first.pk, date(2026, 3, 2), date(2026, 3, 11), Decimal("120.00")),  # 10 days
        (second.pk, date(2026, 3, 12), date(2026, 3, 29), Decimal("270.00")),  # 18 days
        (second.pk, date(2026, 3, 30), date(2026, 4, 26), Decimal("420.00")),
    ]
    # Each part is paid a week after it ends, or the working day before (Easter 2026).
    assert [p.due_on for p in payments[:4]] == [
        date(2026, 3, 6), date(2026, 3, 18), date(2026, 4, 2), date(2026, 5, 1),
    ]  # fmt: skip
    assert all(is_working_day(p.due_on) for p in payments)
    cancelled = Payment.objects.filter(claim=claim, status=PaymentStatus.CANCELLED)
    assert set(cancelled.values_list("statement", flat=True)) == {first.pk}
    assert cancelled.filter(period_start=date(2026, 3, 2), period_end=date(2026, 3, 29)).exists()
    assert (
        len([p for p in payments if p.due_on >= date(2026, 3, 14)]) >= claim_payments.PAYMENTS_AHEAD
    )
    assert not Payment.objects.filter(claim=claim, kind=PaymentKind.ARREARS).exists()


def test_a_monthly_statement_from_mid_month_pays_each_part_by_the_day(db, citizen, clock):
    """£365 a month is £12 a day (× 12 ÷ 365); £730 is £24. The month 19 January –
    18 February (31 days) is split on 29 January."""
    clock(date(2025, 12, 19))
    claim, first = awarded(citizen, "universal_credit", "365.00")
    clock(date(2026, 2, 1))

    second = claim_decisions.revise_award(
        claim=claim, by=None, amount=Decimal("730.00"), reason="Your earnings stopped",
        effective_from=date(2026, 1, 29),
    )  # fmt: skip

    payments = regular(claim)
    assert_tiled(payments, first.effective_from)
    assert [(p.statement_id, p.period_start, p.period_end, p.amount) for p in payments[:4]] == [
        (first.pk, date(2025, 12, 19), date(2026, 1, 18), Decimal("365.00")),
        (first.pk, date(2026, 1, 19), date(2026, 1, 28), Decimal("120.00")),
        (second.pk, date(2026, 1, 29), date(2026, 2, 18), Decimal("504.00")),
        (second.pk, date(2026, 2, 19), date(2026, 3, 18), Decimal("730.00")),
    ]


def test_days_already_paid_are_topped_up_as_arrears_not_paid_twice(db, citizen, clock):
    clock(date(2026, 2, 2))
    claim, first = awarded(citizen, "carers_allowance", "84.00")
    # The payments system (not part of the portal) paid the first two periods.
    made = regular(claim)[:2]
    Payment.objects.filter(pk__in=[p.pk for p in made]).update(
        status=PaymentStatus.PAID, paid_at=timezone.now()
    )
    clock(date(2026, 4, 1))

    second = claim_decisions.revise_award(
        claim=claim, by=None, amount=Decimal("105.00"), reason="Your care hours changed",
        effective_from=date(2026, 3, 12),
    )  # fmt: skip

    payments = regular(claim)
    assert_tiled(payments, first.effective_from)
    assert [p.pk for p in payments[:2]] == [p.pk for p in made]
    assert (payments[2].statement_id, payments[2].period_start, payments[2].amount) == (
        second.pk, date(2026, 3, 30), Decimal("420.00"),
    )  # fmt: skip
    arrears = Payment.objects.get(claim=claim, kind=PaymentKind.ARREARS)
    # 18 days from 12 March at £3 a day more.
    assert (arrears.period_start, arrears.period_end, arrears.amount) == (
        date(2026, 3, 12), date(2026, 3, 29), Decimal("54.00"),
    )  # fmt: skip
    assert arrears.status == PaymentStatus.SCHEDULED
    assert date(2026, 4, 1) <= arrears.due_on <= date(2026, 4, 6)
    assert is_working_day(arrears.due_on)


def test_a_lower_award_for_days_already_paid_is_flagged_to_staff_not_paid(db, citizen, clock):
    clock(date(2026, 2, 2))
    claim, first = awarded(citizen, "carers_allowance", "84.00")
    made = regular(claim)[:2]
    Payment.objects.filter(pk__in=[p.pk for p in made]).update(
        status=PaymentStatus.PAID, paid_at=timezone.now()
    )
    clock(date(2026, 4, 1))

    claim_decisions.revise_award(
        claim=claim, by=None, amount=Decimal("77.00"), reason="You started work",
        effective_from=date(2026, 3, 12),
    )  # fmt: skip

    assert_tiled(regular(claim), first.effective_from)
    assert not Payment.objects.filter(claim=claim, kind=PaymentKind.ARREARS).exists()
    event = ClaimEvent.objects.filter(claim=claim, kind=EventKind.PAYMENT).get()
    assert event.visible_to_customer is False
    assert "Overpaid £18" in event.reason  # 18 days at £1 a day less


# --- The database refuses an overlap ------------------------------------------------------------


def test_the_database_refuses_two_live_payments_for_the_same_days(db, citizen, clock):
    clock(date(2026, 2, 2))
    claim, statement = awarded(citizen, "carers_allowance", "84.00")
    existing = regular(claim)[1]
    overlapping = Payment(
        claim=claim, statement=statement, due_on=existing.due_on + timedelta(days=1),
        period_start=existing.period_end, period_end=existing.period_end, amount=Decimal("1.00"),
    )  # fmt: skip

    with pytest.raises(IntegrityError, match="benefits_payment_no_overlap"), transaction.atomic():
        overlapping.save()

    # Cancelled payments and arrears are not part of the tiling.
    Payment.objects.filter(pk=existing.pk).update(status=PaymentStatus.CANCELLED)
    overlapping.save()
    Payment.objects.create(
        claim=claim, statement=statement, kind=PaymentKind.ARREARS, due_on=existing.due_on,
        period_start=existing.period_start, period_end=existing.period_end, amount=Decimal("5"),
    )  # fmt: skip


# --- Due dates ----------------------------------------------------------------------------------


def test_a_decision_is_due_after_working_days_in_the_persons_nation(db, citizen, clock):
    live_in(citizen, "EH1 1YZ")
    clock(date(2025, 12, 22))

    claim = sent_claim(citizen, "carers_allowance")

    level = claim.benefit.service_level_days
    assert claim.due_by == add_working_days(date(2025, 12, 22), level, SCOTLAND)
    assert claim.due_by > add_working_days(date(2025, 12, 22), level, ENGLAND)


def test_a_reply_by_date_on_a_bank_holiday_moves_to_the_next_working_day(
    db, citizen, caseworker, clock
):
    live_in(citizen, "EH1 1YZ")
    clock(date(2026, 11, 20))
    claim = sent_claim(citizen, "carers_allowance")

    info = claim_documents.request_information(
        claim=claim, by=caseworker, what="Send your payslip.", due_on=date(2026, 11, 28)
    )

    assert info.due_on == date(2026, 12, 1)  # Saturday, Sunday, then St Andrew's Day
    assert "1 December 2026" in claim.events.latest("pk").reason


def test_the_caseworker_is_offered_a_reply_by_date_ten_working_days_on(db, clock):
    clock(date(2026, 12, 21))

    form = RequestInformationForm(prefix="request-information", nation=SCOTLAND)

    # 22, 23, 24, 29, 30, 31 December, 5, 6, 7, 8 January.
    assert form.fields["due_on"].initial == date(2027, 1, 8)
