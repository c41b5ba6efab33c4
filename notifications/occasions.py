"""Occasions: things that fall due on a day and are told to each person once.

The engine is set-based: for each occasion of a group, one statement selects what is due,
inserts a ``Reminder`` row under its unique key (``ON CONFLICT DO NOTHING``: re-running the
job, or two beats running it at once, tells nobody twice), inserts the notifications for
the rows that were new, in each person's language, and their deliveries on the channels
each person chose for the occasion's kind. Then the new deliveries are queued in batches
(``services.publish``). No loop over customers in Python.

notifications knows no other app's tables, statuses or pages: the apps that own them
register their occasions (from their ``AppConfig.ready()``), each with the SQL that finds
who is due and where the notification links to::

    occasions.register(occasions.REMINDERS, Occasion(
        name="information overdue", kind="reminder",
        title=_("Overdue: we still need information for your %(benefit)s claim"),
        title_args=("benefit",),
        due="SELECT customer_id, key, link, benefit FROM …",
    ))

and a daily task runs a group: ``occasions.run(group=occasions.REMINDERS)``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts import versions
from accounts.models import Language
from notifications.models import Delivery, DeliveryStatus, NotificationKind
from notifications.services import TASK_BATCH, forget_unread_counts, publish

# The group the 07:30 beat job (``notifications.tasks.send_reminders``) and the
# ``run_reminders`` command run. Other groups belong to the apps that run them.
REMINDERS = "reminders"

# The parameters the engine gives every ``due`` statement, and those it uses itself.
ENGINE_PARAMS = frozenset({"today", "at", "now", "kind", "titles", "fallback_title"})
_COLUMN = re.compile(r"[a-z_][a-z0-9_]*")


def _no_params() -> dict[str, object]:
    return {}


@dataclass(frozen=True)
class Occasion:
    """One kind of thing that falls due, told once per person and key.

    ``due`` is SQL selecting the rows due, one per person to tell, with the columns
    ``customer_id``, ``key`` (unique per person among every occasion of every group: start
    it with a word naming the occasion, ``inforeq:12:overdue``), ``link`` (a path in the
    portal) and one column per name in ``title_args``. It may use ``%(today)s`` (the day
    the job runs for), ``%(at)s`` (the time of day the job runs, on that day), ``%(now)s``
    and the parameters ``params()`` returns, computed each run (so a link can come from
    ``reverse()``, see ``link_around_id``). A literal ``%`` is written ``%%``.

    ``title`` is a (lazy) translatable string with a ``%(name)s`` placeholder per name in
    ``title_args``; it is rendered in each language in Python and filled in SQL.
    """

    name: str  # unique within its group; the report counts by it
    kind: str  # the NotificationKind, whose channel preferences apply
    title: object
    due: str
    title_args: tuple[str, ...] = ()
    params: Callable[[], Mapping[str, object]] = _no_params

    def __post_init__(self) -> None:
        if self.kind not in NotificationKind.values:
            raise ValueError(f"Occasion {self.name!r}: {self.kind!r} is not a NotificationKind")
        for column in self.title_args:
            if not _COLUMN.fullmatch(column):
                raise ValueError(f"Occasion {self.name!r}: {column!r} is not a column name")


@dataclass
class Report:
    group: str
    told: dict[str, int] = field(default_factory=dict)  # new, by occasion
    due: dict[str, int] = field(default_factory=dict)  # new and already told, by occasion
    deliveries: int = 0
    queued: int = 0
    seconds: float = 0.0
    queries: int = 0

    @property
    def new(self) -> int:
        return sum(self.told.values())

    @property
    def already_sent(self) -> int:
        return sum(self.due.values()) - self.new


# --- The registry ---------------------------------------------------------------------------

_registry: dict[str, dict[str, Occasion]] = {}


def register(group: str, occasion: Occasion) -> None:
    """Add ``occasion`` to ``group``; they run in the order registered. Registering the
    same occasion again does nothing (``ready()`` may run twice); another one under a name
    already taken is a mistake, and raises."""
    occasions = _registry.setdefault(group, {})
    existing = occasions.get(occasion.name)
    if existing is not None and existing != occasion:
        raise ValueError(f"Another occasion is registered as {occasion.name!r} in {group!r}")
    occasions[occasion.name] = occasion


def registered(group: str) -> list[Occasion]:
    """The occasions of ``group``, in the order they run. An unknown group raises: a daily
    job that finds nothing to run is misconfigured, not idle."""
    try:
        return list(_registry[group].values())
    except KeyError:
        raise LookupError(f"No occasions are registered in the group {group!r}") from None


# --- Helpers for the SQL of occasions --------------------------------------------------------

# The largest integer id: in a reversed URL it marks where the id goes.
_ID_MARK = 2147483647


def link_around_id(viewname: str, id_kwarg: str, **kwargs: object) -> tuple[str, str]:
    """The URL of ``viewname`` split where its id goes, for SQL to build links for many rows
    at once: ``%(start)s || c.id || %(end)s``."""
    url = reverse(viewname, kwargs={**kwargs, id_kwarg: _ID_MARK})
    start, end = url.split(str(_ID_MARK))  # exactly one mark, or this fails
    return start, end


def title_patterns(title: object, *, args: Sequence[str] = ()) -> dict[str, str]:
    """The title in every language a person can choose, as SQL ``format()`` patterns.

    A title with ``args`` is a Python format string, as ``_("… %(benefit)s …") % {…}``
    would read it (``%%`` is a percent sign); each ``%(name)s`` becomes ``%1$s`` by its
    place in ``args``, so a translation may put them in another order. A title without
    ``args`` is plain text. A placeholder that is not in ``args`` raises ``ValueError``.
    """
    marks = {name: f"\x00{number}\x00" for number, name in enumerate(args, start=1)}
    patterns = {}
    for language in Language.values:
        with translation.override(language):
            text = str(title)
        if marks:
            try:
                text = text % marks
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"{text!r} ({language}) does not fit {args!r}: {error}") from None
        pattern = text.replace("%", "%%")
        for number, mark in enumerate(marks.values(), start=1):
            pattern = pattern.replace(mark, f"%{number}$s")
        patterns[language] = pattern
    return patterns


# --- Running ----------------------------------------------------------------------------------

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
WITH due AS (
    SELECT d.customer_id, d.key, d.link, ARRAY[{args}]::text[] AS args FROM ({due}) AS d
),
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
           format(coalesce(%(titles)s::jsonb ->> cust.preferred_language, %(fallback_title)s),
                  VARIADIC due.args),
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


def run(*, group: str, today: date | None = None) -> Report:
    """Tell everyone whose occasion in ``group`` is due on ``today`` (default: today) and
    was not told before; then queue the new deliveries. Each occasion is one statement in
    its own transaction."""
    to_run = registered(group)
    started = time.monotonic()
    now = timezone.now()
    today = today or timezone.localdate()
    # "The same time of day" on the day the job runs for: ``now`` when that is today.
    at = (
        now
        if today == timezone.localtime(now).date()
        else timezone.make_aware(datetime.combine(today, timezone.localtime(now).time()))
    )
    report = Report(group=group)
    with connection.cursor() as cursor:
        for occasion in to_run:
            params: dict[str, Any] = dict(occasion.params())
            if clash := ENGINE_PARAMS & params.keys():
                raise ValueError(f"Occasion {occasion.name!r}: {sorted(clash)} are the engine's")
            titles = title_patterns(occasion.title, args=occasion.title_args)
            args = ", ".join(f"d.{column}::text" for column in occasion.title_args)
            with transaction.atomic():
                cursor.execute(
                    STATEMENT.format(args=args, due=occasion.due),
                    {**params, "today": today, "now": now, "at": at, "kind": str(occasion.kind),
                     "titles": json.dumps(titles),
                     "fallback_title": titles[Language.ENGLISH]},
                )  # fmt: skip
                fresh, deliveries, told, due, told_users = cursor.fetchone()
                # The header's cached unread counts of the people just told are out of date,
                # and so are their live panels.
                transaction.on_commit(partial(forget_unread_counts, told))
                versions.bump_many(user_ids=told_users)
            report.told[occasion.name] = fresh
            report.due[occasion.name] = due
            report.deliveries += deliveries
            report.queries += 1
    report.queued, queries = queue_new_deliveries(since=now)
    report.queries += queries
    report.seconds = time.monotonic() - started
    return report


def queue_new_deliveries(*, since: datetime) -> tuple[int, int]:
    """Queue the deliveries created since ``since``, a batch of ids per task (keyset
    pagination: each page is one indexed query). Returns how many, and the queries run."""
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
