"""The daily reminders: what is due, found by set-based SQL, each sent once.

Each kind of reminder is one statement: select what is due, insert a ``Reminder`` row
under its unique key (``ON CONFLICT DO NOTHING``: re-running the job, or two beats running
it at once, inserts nothing twice), insert the notifications for the rows that were new,
and their deliveries on the channels each person chose. Then the new deliveries are
queued in batches. No loop over customers in Python.

Titles are rendered in Python for each language first (SQL cannot translate) and picked
per person by their preferred language.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import versions
from notifications.models import Delivery, DeliveryStatus
from notifications.services import TASK_BATCH, _unread_key, publish

# Which channels a person gets for a kind: their preferences if they saved any for it,
# otherwise the contact channels on their profile (post → letter).
CHANNELS_SQL = """
    CROSS JOIN LATERAL unnest(
        CASE WHEN p.channels ? %(kind)s
             THEN ARRAY(SELECT jsonb_array_elements_text(p.channels -> %(kind)s))
             ELSE ARRAY(SELECT CASE x WHEN 'post' THEN 'letter' ELSE x END
                        FROM unnest(cust.contact_channels) AS x
                        WHERE x IN ('email', 'sms', 'post'))
        END
    ) AS ch(channel)
"""

STATEMENT = (
    """
WITH due AS ({due}),
-- The notification's id is drawn up front so the Reminder row can point to it: the
-- statements of one WITH cannot see the rows the others insert, so it could not be set later.
fresh AS (
    INSERT INTO notifications_reminder (customer_id, key, created_at, notification_id)
    SELECT customer_id, key, %(now)s,
           nextval(pg_get_serial_sequence('notifications_notification', 'id'))
    FROM due
    ON CONFLICT (customer_id, key) DO NOTHING
    RETURNING customer_id, key, notification_id
),
notes AS (
    INSERT INTO notifications_notification
        (id, customer_id, kind, title, body, link, created_at)
    SELECT fresh.notification_id, due.customer_id, %(kind)s,
           CASE WHEN cust.preferred_language = 'cy' THEN due.title_cy ELSE due.title_en END,
           '', due.link, %(now)s
    FROM fresh
    JOIN due ON due.customer_id = fresh.customer_id AND due.key = fresh.key
    JOIN accounts_customer cust ON cust.id = due.customer_id
    RETURNING id, customer_id
),
deliveries AS (
    INSERT INTO notifications_delivery
        (notification_id, channel, status, attempts, last_error, next_attempt_at, provider_id,
         created_at, updated_at)
    SELECT notes.id, ch.channel, 'pending', 0, '', %(now)s, '', %(now)s, %(now)s
    FROM notes
    JOIN accounts_customer cust ON cust.id = notes.customer_id
    LEFT JOIN notifications_preferences p ON p.customer_id = cust.id
    """  # noqa: S608 - constant SQL; values are parameters
    + CHANNELS_SQL
    + """
    WHERE ch.channel IN ('email', 'sms', 'letter')
    RETURNING 1
)
SELECT (SELECT count(*) FROM fresh), (SELECT count(*) FROM deliveries),
       (SELECT coalesce(array_agg(DISTINCT customer_id), ARRAY[]::bigint[]) FROM notes),
       (SELECT count(*) FROM due),
       (SELECT coalesce(array_agg(DISTINCT cust.user_id), ARRAY[]::bigint[])
          FROM notes JOIN accounts_customer cust ON cust.id = notes.customer_id
         WHERE cust.user_id IS NOT NULL)
"""
)


@dataclass(frozen=True)
class Occasion:
    name: str
    kind: str  # the NotificationKind its preferences follow
    title: object  # lazy, with a %(benefit)s placeholder
    due: str  # SQL: customer_id, key, benefit (the name), link


OPEN_STATUSES = "('submitted', 'in_review', 'information_requested', 'reconsideration_requested')"

OCCASIONS = [
    Occasion(
        "information due soon",
        "reminder",
        _("Reminder: we need information for your %(benefit)s claim"),
        """
        SELECT c.customer_id, 'inforeq:' || r.id || ':due-soon' AS key, b.name AS benefit,
               '/claims/' || c.id || '/' AS link
        FROM benefits_informationrequest r
        JOIN benefits_claim c ON c.id = r.claim_id
        JOIN benefits_benefit b ON b.id = c.benefit_id
        WHERE r.answered_at IS NULL AND c.status = 'information_requested'
          AND r.due_on BETWEEN %(today)s AND %(today)s + 3
        """,
    ),
    Occasion(
        "information overdue",
        "reminder",
        _("Overdue: we still need information for your %(benefit)s claim"),
        """
        SELECT c.customer_id, 'inforeq:' || r.id || ':overdue' AS key, b.name AS benefit,
               '/claims/' || c.id || '/' AS link
        FROM benefits_informationrequest r
        JOIN benefits_claim c ON c.id = r.claim_id
        JOIN benefits_benefit b ON b.id = c.benefit_id
        WHERE r.answered_at IS NULL AND c.status = 'information_requested'
          AND r.due_on < %(today)s
        """,
    ),
    Occasion(
        "payment soon",
        "reminder",
        _("Your next %(benefit)s payment is due in the next few days"),
        """
        SELECT c.customer_id, 'payment:' || pay.id || ':soon' AS key, b.name AS benefit,
               '/claims/' || c.id || '/' AS link
        FROM benefits_payment pay
        JOIN benefits_claim c ON c.id = pay.claim_id
        JOIN benefits_benefit b ON b.id = c.benefit_id
        WHERE pay.status = 'scheduled' AND pay.due_on BETWEEN %(today)s AND %(today)s + 3
        """,
    ),
    Occasion(
        "decision late",
        "status",
        _("Your %(benefit)s decision is taking longer than it should: we are sorry"),
        # Working days as calendar days × 7/5; each claim is told once.
        """
        SELECT c.customer_id, 'claim:' || c.id || ':late' AS key, b.name AS benefit,
               '/claims/' || c.id || '/' AS link
        FROM benefits_claim c
        JOIN benefits_benefit b ON b.id = c.benefit_id
        WHERE c.status IN """  # noqa: S608
        + OPEN_STATUSES
        + """
          AND c.submitted_at < %(at)s - make_interval(days => (b.service_level_days * 7 / 5))
        """,
    ),
]


@dataclass
class Report:
    reminders: dict[str, int] = field(default_factory=dict)  # new, by occasion
    due: dict[str, int] = field(default_factory=dict)  # new and already sent, by occasion
    deliveries: int = 0
    queued: int = 0
    seconds: float = 0.0
    queries: int = 0

    @property
    def new(self) -> int:
        return sum(self.reminders.values())

    @property
    def already_sent(self) -> int:
        return sum(self.due.values()) - self.new


def _titles(title) -> tuple[str, str]:
    """The title in English and Welsh, as SQL ``format()`` patterns (%(benefit)s → %s)."""
    out = []
    for language in ("en-gb", "cy"):
        with translation.override(language):
            out.append(str(title).replace("%", "%%").replace("%%(benefit)s", "%s"))
    return out[0], out[1]


def run_occasions(
    occasions: list[Occasion], *, today: date, now: datetime
) -> tuple[dict[str, int], dict[str, int], int, int]:
    """Tell everyone whose occasion is due on ``today``, once. Returns, by occasion, how
    many were told now and how many were due (told now or before), then the deliveries
    written and the statements run. Shared by the reminders and the nudges."""
    # "The same time of day" on the day the job runs for: ``now`` when that is today.
    at = (
        now
        if today == timezone.localtime(now).date()
        else timezone.make_aware(datetime.combine(today, timezone.localtime(now).time()))
    )
    fresh_by, due_by, deliveries_total, queries = {}, {}, 0, 0
    with connection.cursor() as cursor:
        for occasion in occasions:
            title_en, title_cy = _titles(occasion.title)
            due = f"""
                SELECT d.customer_id, d.key, d.link,
                       format(%(title_en)s, d.benefit) AS title_en,
                       format(%(title_cy)s, d.benefit) AS title_cy
                FROM ({occasion.due}) AS d
            """  # noqa: S608 - constant SQL; values are parameters
            with transaction.atomic():
                cursor.execute(
                    STATEMENT.format(due=due),
                    {"today": today, "now": now, "at": at, "kind": occasion.kind,
                     "title_en": title_en, "title_cy": title_cy},
                )  # fmt: skip
                fresh, deliveries, told, due_count, told_users = cursor.fetchone()
                # The header's cached unread counts of the people just told are out of date,
                # and so are their live panels.
                transaction.on_commit(lambda told=told: forget_unread_counts(told))
                versions.bump_many(user_ids=told_users)
            fresh_by[occasion.name] = fresh
            due_by[occasion.name] = due_count
            deliveries_total += deliveries
            queries += 1
    return fresh_by, due_by, deliveries_total, queries


def run(*, today: date | None = None) -> Report:
    """Send the reminders due on ``today`` (default: today) that were not sent before."""
    started = time.monotonic()
    now = timezone.now()
    today = today or timezone.localdate()
    report = Report()
    report.reminders, report.due, report.deliveries, report.queries = run_occasions(
        OCCASIONS, today=today, now=now
    )
    report.queued, queries = queue_new_deliveries(since=now)
    report.queries += queries
    report.seconds = time.monotonic() - started
    return report


def forget_unread_counts(customer_ids: list[int]) -> None:
    """Drop the header's cached unread counts, a thousand keys per cache round trip."""
    for start in range(0, len(customer_ids), 1000):
        cache.delete_many([_unread_key(i) for i in customer_ids[start : start + 1000]])


def queue_new_deliveries(*, since) -> tuple[int, int]:
    """Queue the deliveries created since ``since``, a batch of ids per task (keyset
    pagination: each page is one indexed query)."""
    last, queued, queries = 0, 0, 0
    while True:
        ids = list(
            Delivery.objects.filter(
                status=DeliveryStatus.PENDING, created_at__gte=since, pk__gt=last
            )
            .order_by("pk")
            .values_list("pk", flat=True)[: TASK_BATCH * 25]
        )
        queries += 1
        if not ids:
            return queued, queries
        publish(ids)
        queued += len(ids)
        last = ids[-1]
