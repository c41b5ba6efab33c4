"""Payments: the schedule an award statement makes, on working days, with arrears and
settlement when an award changes.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Customer
from benefits.claims.timeline import record_event
from benefits.models import (
    AwardStatement,
    Claim,
    EventKind,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from benefits.rules.base import (
    Nation,
    Period,
    add_months,
    gbp,
    money,
    nation_for_postcode,
    working_day_on_or_before,
)

PAYMENTS_AHEAD = 6
FOUR_WEEKS = 28
PAID_IN_ARREARS = timedelta(days=7)  # a period is paid a week after it ends
MAX_PERIODS = 120  # a safety net: no statement schedules more than ten years at once


def nation_of(customer: Customer) -> Nation:
    """Whose bank holidays apply to the person: from their postcode's area."""
    return nation_for_postcode(customer.postcode)


def _cycle(anchor: date, period: str, index: int) -> tuple[date, date]:
    """The award's ``index``-th payment period: calendar months from the anchor for
    monthly rates (always counted from the anchor, so 31 January gives 28 February then
    31 March), four weeks for weekly ones."""
    if period == Period.MONTH:
        return add_months(anchor, index), add_months(anchor, index + 1) - timedelta(days=1)
    start = anchor + timedelta(days=FOUR_WEEKS * index)
    return start, start + timedelta(days=FOUR_WEEKS - 1)


def _cycle_index(anchor: date, period: str, day: date) -> int:
    if period != Period.MONTH:
        return (day - anchor).days // FOUR_WEEKS
    index = (day.year - anchor.year) * 12 + day.month - anchor.month
    while _cycle(anchor, period, index)[0] > day:
        index -= 1
    while _cycle(anchor, period, index)[1] < day:
        index += 1
    return index


def _pieces(anchor: date, period: str, start: date, end: date) -> list[tuple[date, date, bool]]:
    """[start, end] cut at the award's period boundaries: (from, to, is a whole period)."""
    index, pieces = _cycle_index(anchor, period, start), []
    while True:
        cycle_start, cycle_end = _cycle(anchor, period, index)
        a, b = max(start, cycle_start), min(end, cycle_end)
        pieces.append((a, b, (a, b) == (cycle_start, cycle_end)))
        if cycle_end >= end:
            return pieces
        index += 1


def _amount_for(statement: AwardStatement, start: date, end: date, whole: bool) -> Decimal:
    """A whole period is the monthly amount, or four times the weekly one. Part of a
    period is paid by the day: a weekly rate ÷ 7, a monthly one × 12 ÷ 365."""
    if statement.period == Period.MONTH:
        if whole:
            return statement.amount
        return money(statement.amount * 12 * ((end - start).days + 1) / 365)
    if whole:
        return money(statement.amount * 4)
    return money(statement.amount * ((end - start).days + 1) / 7)


def _payment_day(period_end: date, nation: Nation) -> date:
    return working_day_on_or_before(period_end + PAID_IN_ARREARS, nation)


def _one_off_day(today: date, nation: Nation) -> date:
    """A one-off amount (or arrears) goes out within the working week."""
    return max(today, working_day_on_or_before(today + timedelta(days=5), nation))


def schedule_payments(*, claim: Claim, statement: AwardStatement) -> list[Payment]:
    """Payments from the statement's date, in arrears, on working days.

    The claim's regular payments tile its award with no gap and no overlap (PostgreSQL
    refuses an overlap): earlier statements' unpaid payments from the new statement's date
    are cancelled, and one that straddles the date is replaced by a payment for the days
    before it. Days already paid are not paid again: the new statement's payments start
    after them, and if it pays more for those days the difference is paid as arrears.
    The periods follow the award's first statement (its anchor), so the person's payment
    day does not move when the amount changes.
    """
    today = timezone.localdate()
    nation = nation_of(claim.customer)
    # Backdating reaches at most a year: older periods stay as they were.
    since = max(statement.effective_from, today - timedelta(days=366))
    live = list(
        claim.payments.select_for_update()
        .filter(kind=PaymentKind.REGULAR, period_end__gte=since)
        .exclude(status=PaymentStatus.CANCELLED)
        .select_related("statement")
        .order_by("period_start")
    )
    unpaid = [p for p in live if p.status != PaymentStatus.PAID]
    paid = [p for p in live if p.status == PaymentStatus.PAID]
    Payment.objects.filter(pk__in=[p.pk for p in unpaid]).update(status=PaymentStatus.CANCELLED)
    if statement.period == Period.ONCE:
        return _schedule_one_off(
            claim=claim, statement=statement, since=since, paid=paid, today=today, nation=nation
        )
    anchor = claim.statements.order_by("version").values_list("effective_from", flat=True).first()
    rows: list[Payment] = []
    for p in unpaid:
        if p.period_start < since:  # straddles the date: the days before it stay as they were
            (a, b, whole), *_rest = _pieces(anchor, p.statement.period, p.period_start,
                                            since - timedelta(days=1))  # fmt: skip
            rows.append(Payment(
                claim=claim, statement=p.statement, period_start=p.period_start, period_end=b,
                amount=_amount_for(p.statement, a, b, whole), due_on=_payment_day(b, nation),
            ))  # fmt: skip
    # The days from the new statement's date not already paid for.
    free: list[tuple[date, date | None]] = []
    cursor = since
    for p in paid:
        if p.period_start > cursor:
            free.append((cursor, p.period_start - timedelta(days=1)))
        cursor = max(cursor, p.period_end + timedelta(days=1))
    free.append((cursor, None))
    ahead = 0
    for first, last in free:
        index = _cycle_index(anchor, statement.period, first)
        while len(rows) < MAX_PERIODS:
            cycle_start, cycle_end = _cycle(anchor, statement.period, index)
            a, b = max(first, cycle_start), cycle_end if last is None else min(last, cycle_end)
            due = _payment_day(b, nation)
            rows.append(Payment(
                claim=claim, statement=statement, period_start=a, period_end=b, due_on=due,
                amount=_amount_for(statement, a, b, (a, b) == (cycle_start, cycle_end)),
            ))  # fmt: skip
            ahead += due >= today
            if (last is not None and b >= last) or (last is None and ahead >= PAYMENTS_AHEAD):
                break
            index += 1
    rows += _arrears(claim=claim, statement=statement, since=since, paid=paid,
                     anchor=anchor, today=today, nation=nation)  # fmt: skip
    return Payment.objects.bulk_create(rows)


def _arrears(
    *,
    claim: Claim,
    statement: AwardStatement,
    since: date,
    paid: list[Payment],
    anchor: date,
    today: date,
    nation: Nation,
) -> list[Payment]:
    """What the new statement gives for days already paid, less what was paid for them."""
    if not paid:
        return []
    difference = Decimal("0.00")
    for p in paid:
        # Both sides worked out the same way, from their statements' rates.
        for a, b, whole in _pieces(anchor, statement.period, max(p.period_start, since),
                                   p.period_end):  # fmt: skip
            difference += _amount_for(statement, a, b, whole)
            difference -= (
                p.amount if (a, b) == (p.period_start, p.period_end)
                else _amount_for(p.statement, a, b, whole)
            )  # fmt: skip
    start, end = max(paid[0].period_start, since), paid[-1].period_end
    return _settle(claim=claim, statement=statement, difference=difference, start=start,
                   end=end, today=today, nation=nation)  # fmt: skip


def _settle(
    *,
    claim: Claim,
    statement: AwardStatement,
    difference: Decimal,
    start: date,
    end: date,
    today: date,
    nation: Nation,
) -> list[Payment]:
    if difference > 0:
        return [Payment(
            claim=claim, statement=statement, kind=PaymentKind.ARREARS, period_start=start,
            period_end=end, amount=difference, due_on=_one_off_day(today, nation),
        )]  # fmt: skip
    if difference < 0:
        # Recovering an overpayment is a decision of its own, with its own rights of
        # appeal: staff see it here and take it from there.
        record_event(claim=claim, by=None, kind=EventKind.PAYMENT, reason=_(
            "Overpaid %(amount)s for %(start)s to %(end)s under earlier statements: "
            "decide whether to recover it."
        ) % {"amount": gbp(-difference), "start": date_format(start, "j F Y"),
             "end": date_format(end, "j F Y")}, visible=False)  # fmt: skip
    return []


def _schedule_one_off(
    *,
    claim: Claim,
    statement: AwardStatement,
    since: date,
    paid: list[Payment],
    today: date,
    nation: Nation,
) -> list[Payment]:
    """A one-off amount: paid once; a new statement pays only the difference."""
    if paid:
        difference = statement.amount - sum((p.amount for p in paid), Decimal("0.00"))
        return Payment.objects.bulk_create(_settle(
            claim=claim, statement=statement, difference=difference, start=since,
            end=paid[-1].period_end, today=today, nation=nation,
        ))  # fmt: skip
    return Payment.objects.bulk_create([Payment(
        claim=claim, statement=statement, due_on=_one_off_day(today, nation),
        period_start=since, period_end=since, amount=statement.amount,
    )])  # fmt: skip
