"""The daily nudges: life events coming up, as occasions of ``notifications.occasions``.

Each occasion selects, in one statement, who has a life event coming up; the engine tells
each person once (a ``Reminder`` row under a key naming the person's occasion), in their
language, on the channels they chose for suggestions. ``JourneysConfig.ready()`` registers
them in the nudges group, which the 08:15 beat job (``journeys.tasks.send_nudges``) and
``manage.py run_nudges`` run.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationKind
from notifications.occasions import Occasion, link_around_id

GROUP = "nudges"
NUDGE = NotificationKind.NUDGE.value

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


def links() -> dict[str, str]:
    """Where the nudges link to, for their SQL: computed when the job runs."""
    claim_start, claim_end = link_around_id("claims:detail", "claim_id")
    return {
        "retiring_link": reverse("journeys:start", kwargs={"code": "retiring"}),
        "journeys_link": reverse("journeys:index"),
        "claim_link_start": claim_start,
        "claim_link_end": claim_end,
    }


OCCASIONS = [
    Occasion(
        name="state pension age",
        kind=NUDGE,
        title=_("You reach State Pension age soon: see what changes"),
        params=links,
        # The range on date_of_birth (State Pension age is 65 to 68, a week's slack for
        # month ends) lets the index on it find the few candidates among all customers.
        due="""
        SELECT s.customer_id, 'nudge:state-pension-age:' || to_char(s.spa, 'YYYY-MM-DD') AS key,
               %(retiring_link)s AS link
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
        name="child turns 16",
        kind=NUDGE,
        title=_("A child in your household turns 16 soon: Child Benefit may change"),
        params=links,
        due="""
        SELECT m.customer_id, 'nudge:child-16:' || m.id AS key, %(journeys_link)s AS link
        FROM accounts_householdmember m
        WHERE m.relationship = 'child' AND m.left_on IS NULL
          AND (m.date_of_birth + interval '16 years')::date BETWEEN %(today)s AND %(today)s + 30
        """,
    ),
    Occasion(
        name="child turns 20",
        kind=NUDGE,
        title=_("Child Benefit usually stops when a child turns 20"),
        params=links,
        due="""
        SELECT m.customer_id, 'nudge:child-20:' || m.id AS key, %(journeys_link)s AS link
        FROM accounts_householdmember m
        WHERE m.relationship = 'child' AND m.left_on IS NULL
          AND (m.date_of_birth + interval '20 years')::date BETWEEN %(today)s AND %(today)s + 30
        """,
    ),
    Occasion(
        name="award ends",
        kind=NUDGE,
        title=_("Your %(benefit)s ends soon: see what you could get next"),
        title_args=("benefit",),
        params=links,
        # Awards carry no end date yet; Maternity Allowance is paid for 39 weeks from the
        # first statement's start, so that one end is known.
        due="""
        SELECT c.customer_id, 'nudge:award-ends:' || c.id AS key, b.name AS benefit,
               %(claim_link_start)s || c.id || %(claim_link_end)s AS link
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
