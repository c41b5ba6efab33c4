"""The daily reminders about claims, as occasions of ``notifications.occasions``.

Each occasion selects, in one statement, the claims' requests for information, payments
and decisions that are due; the engine tells each person once, in their language, on
their channels. ``BenefitsConfig.ready()`` registers them in the reminders group, which
the 07:30 beat job (``notifications.tasks.send_reminders``) and ``manage.py
run_reminders`` run.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from benefits.claims import lifecycle
from notifications.occasions import Occasion, link_around_id


def claim_params() -> dict[str, object]:
    """The SQL parameters of the claims' occasions: the open statuses (the lifecycle's
    list, the only one) and the claim page's URL around the claim's id."""
    start, end = link_around_id("claims:detail", "claim_id")
    return {
        "open": sorted(str(status) for status in lifecycle.OPEN),
        "claim_link_start": start,
        "claim_link_end": end,
    }


CLAIM_LINK = "%(claim_link_start)s || c.id || %(claim_link_end)s AS link"


def _information_request(name: str, title: Promise, *, key: str, when: str) -> Occasion:
    """A request for information still waiting for the person's answer, when ``when``."""
    return Occasion(
        name=name,
        kind="reminder",
        title=title,
        title_args=("benefit",),
        params=claim_params,
        due=f"""
        SELECT c.customer_id, 'inforeq:' || r.id || ':{key}' AS key, b.name AS benefit,
               {CLAIM_LINK}
        FROM benefits_informationrequest r
        JOIN benefits_claim c ON c.id = r.claim_id
        JOIN benefits_benefit b ON b.id = c.benefit_id
        WHERE r.answered_at IS NULL AND c.status = 'information_requested' AND {when}
        """,  # noqa: S608 - constant SQL; values are parameters
    )


OCCASIONS = [
    _information_request(
        "information due soon",
        _("Reminder: we need information for your %(benefit)s claim"),
        key="due-soon",
        when="r.due_on BETWEEN %(today)s AND %(today)s + 3",
    ),
    _information_request(
        "information overdue",
        _("Overdue: we still need information for your %(benefit)s claim"),
        key="overdue",
        when="r.due_on < %(today)s",
    ),
    Occasion(
        name="payment soon",
        kind="reminder",
        title=_("Your next %(benefit)s payment is due in the next few days"),
        title_args=("benefit",),
        params=claim_params,
        due=f"""
        SELECT c.customer_id, 'payment:' || pay.id || ':soon' AS key, b.name AS benefit,
               {CLAIM_LINK}
        FROM benefits_payment pay
        JOIN benefits_claim c ON c.id = pay.claim_id
        JOIN benefits_benefit b ON b.id = c.benefit_id
        WHERE pay.status = 'scheduled' AND pay.due_on BETWEEN %(today)s AND %(today)s + 3
        """,  # noqa: S608
    ),
    Occasion(
        name="decision late",
        kind="status",
        title=_("Your %(benefit)s decision is taking longer than it should: we are sorry"),
        title_args=("benefit",),
        params=claim_params,
        # Working days as calendar days × 7/5; each claim is told once.
        due=f"""
        SELECT c.customer_id, 'claim:' || c.id || ':late' AS key, b.name AS benefit,
               {CLAIM_LINK}
        FROM benefits_claim c
        JOIN benefits_benefit b ON b.id = c.benefit_id
        WHERE c.status = ANY(%(open)s)
          AND c.submitted_at < %(at)s - make_interval(days => (b.service_level_days * 7 / 5))
        """,  # noqa: S608
    ),
]
