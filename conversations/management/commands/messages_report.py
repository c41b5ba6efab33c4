"""How the secure messages stand: open conversations by team and by how long they have
waited for us, and the breaches of the service level (still waiting after the day they
were due), in text or JSON."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.core.management.base import BaseCommand
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from benefits.management.commands.queue_report import table
from benefits.rules.base import is_working_day
from conversations.models import Conversation, ConversationStatus

S = ConversationStatus
#: How long a conversation has waited for us, in working days (today counts as day 0).
BANDS = [
    ("under_1", "Under 1 working day"),
    ("1_2", "1 to 2 working days"),
    ("3_5", "3 to 5 working days"),
    ("over_5", "Over 5 working days"),
]
COUNTS = [
    "open", "waiting_for_us", "waiting_for_you", "unassigned", "overdue", "needs_supervisor",
    *(key for key, _label in BANDS),
]  # fmt: skip
OLDEST_BREACHES = 50


def working_day_back(today: date, count: int) -> date:
    """The ``count``-th working day counting back from today (today is the first if it is
    one): a conversation waiting since before it has waited ``count`` working days."""
    day, seen = today, 0
    while True:
        if is_working_day(day):
            seen += 1
            if seen == count:
                return day
        day -= timedelta(days=1)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        days += is_working_day(day)
    return days


def messages_report(*, now: datetime | None = None) -> dict[str, Any]:
    """Three queries, whatever the number of conversations, teams or topics."""
    now = now or timezone.now()
    today = timezone.localdate(now)

    def since(count: int) -> datetime:
        return timezone.make_aware(datetime.combine(working_day_back(today, count), time.min))

    waiting = Q(status=S.WAITING_FOR_US)
    overdue = waiting & Q(reply_due_on__lt=today)
    bands = {
        "under_1": waiting & Q(waiting_since__gte=since(1)),
        "1_2": waiting & Q(waiting_since__lt=since(1), waiting_since__gte=since(3)),
        "3_5": waiting & Q(waiting_since__lt=since(3), waiting_since__gte=since(6)),
        "over_5": waiting & Q(waiting_since__lt=since(6)),
    }
    rows = cast(
        "QuerySet[Any, dict[str, Any]]",
        Conversation.objects.exclude(status=S.CLOSED)
        .values("team__name")
        .annotate(
            open=Count("pk"),
            waiting_for_us=Count("pk", filter=waiting),
            waiting_for_you=Count("pk", filter=Q(status=S.WAITING_FOR_YOU)),
            unassigned=Count("pk", filter=waiting & Q(assigned_to__isnull=True)),
            overdue=Count("pk", filter=overdue),
            needs_supervisor=Count("pk", filter=Q(needs_supervisor=True)),
            **{key: Count("pk", filter=q) for key, q in bands.items()},
        )
        .order_by("team__name"),
    )
    teams: list[dict[str, Any]] = [
        {"team": row["team__name"] or "No team"} | {k: row[k] for k in COUNTS} for row in rows
    ]
    totals = {key: sum(t[key] for t in teams) for key in COUNTS}
    topics = [
        {"topic": row["topic__name"], "service_level_days": row["topic__service_level_days"],
         "waiting_for_us": row["waiting_for_us"], "overdue": row["overdue"]}
        for row in Conversation.objects.filter(waiting)
        .values("topic__name", "topic__service_level_days")
        .annotate(waiting_for_us=Count("pk"), overdue=Count("pk", filter=overdue))
        .order_by("topic__name")
    ]  # fmt: skip
    oldest = (
        Conversation.objects.filter(overdue)
        .select_related("topic", "team", "assigned_to")
        .order_by("reply_due_on", "waiting_since")[:OLDEST_BREACHES]
    )
    breaches = [
        {
            "reference": c.reference,
            "topic": c.topic.name,
            "team": c.team.name if c.team else "No team",
            "due_on": c.reply_due_on.isoformat() if c.reply_due_on else None,
            "working_days_late": working_days_between(c.reply_due_on, today)
            if c.reply_due_on else None,
            "waiting_since": c.waiting_since.isoformat() if c.waiting_since else None,
            "assigned_to": c.assigned_to.email if c.assigned_to else None,
        }
        for c in oldest
    ]  # fmt: skip
    return {
        "today": today.isoformat(),
        "bands": [{"key": key, "label": label} for key, label in BANDS],
        "teams": teams,
        "totals": totals,
        "topics": topics,
        "breaches": {"count": totals["overdue"], "oldest": breaches},
    }


class Command(BaseCommand):
    help = (
        "Report the secure messages: open conversations per team (waiting for us, waiting "
        "for the person, unassigned, needing a supervisor) by how long they have waited for "
        "us in working days, and the breaches of the service level."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--format", dest="fmt", choices=["text", "json"], default="text",
            help="an aligned table (default) or JSON",
        )  # fmt: skip

    def handle(self, *args, fmt: str = "text", **options) -> None:
        report = messages_report()
        if fmt == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        write = self.stdout.write
        write(f"Open conversations on {report['today']}, by team\n")
        header = ["Team", "Open", "Waiting for us", "Waiting for the person", "Unassigned",
                  "Overdue", "Supervisor", *(label for _key, label in BANDS)]  # fmt: skip
        lines = [[t["team"], *(t[k] for k in COUNTS)] for t in report["teams"]]
        lines.append(["Total", *(report["totals"][k] for k in COUNTS)])
        write(table(header, lines))
        write("\nWaiting for us, by topic (service level in working days)\n")
        if report["topics"]:
            write(table(
                ["Topic", "Service level", "Waiting for us", "Overdue"],
                [[t["topic"], t["service_level_days"], t["waiting_for_us"], t["overdue"]]
                 for t in report["topics"]],
            ))  # fmt: skip
        else:
            write("Nothing is waiting for us.")
        breaches = report["breaches"]
        write(f"\nBreaches of the service level: {breaches['count']}\n")
        if breaches["oldest"]:
            write(table(
                ["Conversation", "Topic", "Team", "Due", "Working days late", "With"],
                [[b["reference"], b["topic"], b["team"], b["due_on"], b["working_days_late"],
                  b["assigned_to"] or "unassigned"] for b in breaches["oldest"]],
            ))  # fmt: skip
            if breaches["count"] > len(breaches["oldest"]):
                write(f"(the {len(breaches['oldest'])} most overdue shown)")
