"""The daily nudges: life events coming up, found by set-based SQL, each told once.

The same machinery as the daily reminders (``notifications.reminders``): one statement per
occasion selects who is due, records a ``Reminder`` row under a key naming the person's
occasion (``ON CONFLICT DO NOTHING``: re-running the job, or two beats running it at once,
tells nobody twice), writes the notifications (kind "nudge") in the person's language and
their deliveries on the channels they chose for suggestions. Then the new deliveries are
queued in batches. No loop over customers in Python.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationKind
from notifications.reminders import Occasion, queue_new_deliveries, run_occasions

NUDGE = str(NotificationKind.NUDGE.value)  # a plain str, for the SQL parameter

# The months from birth to State Pension age, as benefits.rules.base.state_pension_age_date
# has them (tests/journeys/test_nudges.py checks the two agree, date by date). Adding months
# to a date in PostgreSQL clamps to the month's end, as add_months does.
SPA_MONTHS_SQL = """
    CASE
        WHEN {dob} < DATE '1954-10-06' THEN 65 * 12
        WHEN {dob} < DATE '1960-04-06' THEN 66 * 12
        WHEN {dob} < DATE '1961-03-06' THEN 66 * 12
            + (extract(year FROM {dob})::int - 1960) * 12 + extract(month FROM {dob})::int - 4
            + CASE WHEN extract(day FROM {dob}) >= 6 THEN 1 ELSE 0 END
        WHEN {dob} < DATE '1977-04-06' THEN 67 * 12
        WHEN {dob} < DATE '1978-04-06' THEN 67 * 12
            + (extract(year FROM {dob})::int - 1977) * 12 + extract(month FROM {dob})::int - 4
            + CASE WHEN extract(day FROM {dob}) >= 6 THEN 1 ELSE 0 END
        ELSE 68 * 12
    END
"""


def spa_date_sql(dob: str) -> str:
    """SQL for the date someone born on ``dob`` (a column) reaches State Pension age."""
    return f"({dob} + make_interval(months => {SPA_MONTHS_SQL.format(dob=dob)}))::date"


# Each ``due`` selects customer_id, key, benefit (the name, or NULL), link.
OCCASIONS = [
    Occasion(
        "state pension age",
        NUDGE,
        _("You reach State Pension age soon: see what changes"),
        # The range on date_of_birth (State Pension age is 65 to 68, a week's slack for
        # month ends) lets the index on it find the few candidates among all customers.
        """
        SELECT s.customer_id, 'nudge:state-pension-age:' || to_char(s.spa, 'YYYY-MM-DD') AS key,
               NULL::text AS benefit, '/journeys/start/retiring/' AS link
        FROM (
            SELECT cust.id AS customer_id, """  # noqa: S608 - constant SQL; values are parameters
        + spa_date_sql("cust.date_of_birth")
        + """ AS spa
            FROM accounts_customer cust
            WHERE cust.date_of_birth
                  BETWEEN (%(today)s - interval '68 years' - interval '7 days')::date
                      AND (%(today)s + interval '4 months' - interval '65 years'
                           + interval '7 days')::date
        ) AS s
        WHERE s.spa BETWEEN %(today)s AND (%(today)s + interval '4 months')::date
        """,
    ),
    Occasion(
        "child turns 16",
        NUDGE,
        _("A child in your household turns 16 soon: Child Benefit may change"),
        """
        SELECT m.customer_id, 'nudge:child-16:' || m.id AS key, NULL::text AS benefit,
               '/journeys/' AS link
        FROM accounts_householdmember m
        WHERE m.relationship = 'child' AND m.left_on IS NULL
          AND (m.date_of_birth + interval '16 years')::date BETWEEN %(today)s AND %(today)s + 30
        """,
    ),
    Occasion(
        "child turns 20",
        NUDGE,
        _("Child Benefit usually stops when a child turns 20"),
        """
        SELECT m.customer_id, 'nudge:child-20:' || m.id AS key, NULL::text AS benefit,
               '/journeys/' AS link
        FROM accounts_householdmember m
        WHERE m.relationship = 'child' AND m.left_on IS NULL
          AND (m.date_of_birth + interval '20 years')::date BETWEEN %(today)s AND %(today)s + 30
        """,
    ),
    Occasion(
        "award ends",
        NUDGE,
        _("Your %(benefit)s ends soon: see what you could get next"),
        # Awards carry no end date yet; Maternity Allowance is paid for 39 weeks from the
        # first statement's start, so that one end is known.
        """
        SELECT c.customer_id, 'nudge:award-ends:' || c.id AS key, b.name AS benefit,
               '/claims/' || c.id || '/' AS link
        FROM benefits_claim c
        JOIN benefits_benefit b ON b.id = c.benefit_id
        CROSS JOIN LATERAL (
            SELECT s.effective_from FROM benefits_awardstatement s
            WHERE s.claim_id = c.id ORDER BY s.version LIMIT 1
        ) AS first
        WHERE b.code = 'maternity_allowance' AND c.status = 'awarded'
          AND first.effective_from + 39 * 7 BETWEEN %(today)s AND %(today)s + 28
        """,
    ),
]


@dataclass
class Report:
    nudges: dict[str, int] = field(default_factory=dict)  # new, by occasion
    due: dict[str, int] = field(default_factory=dict)  # new and already sent, by occasion
    deliveries: int = 0
    queued: int = 0
    seconds: float = 0.0
    queries: int = 0

    @property
    def new(self) -> int:
        return sum(self.nudges.values())

    @property
    def already_sent(self) -> int:
        return sum(self.due.values()) - self.new


def run(*, today: date | None = None) -> Report:
    """Tell everyone whose occasion is due, once; the figures of what was done."""
    started = time.monotonic()
    now = timezone.now()
    today = today or timezone.localdate()
    report = Report()
    report.nudges, report.due, report.deliveries, report.queries = run_occasions(
        OCCASIONS, today=today, now=now
    )
    report.queued, queries = queue_new_deliveries(since=now)
    report.queries += queries
    report.seconds = time.monotonic() - started
    return report
