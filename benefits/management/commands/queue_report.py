"""How much open work there is: per benefit, unassigned, overdue, and per caseworker."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count, Q
from django.utils import timezone

from benefits.casework import queue as casework_queue
from benefits.claims import lifecycle
from benefits.models import Claim, ClaimStatus

# Short column headings for the text table; JSON uses the status values themselves.
HEADINGS = {
    ClaimStatus.SUBMITTED: "Sent",
    ClaimStatus.IN_REVIEW: "In review",
    ClaimStatus.RECONSIDERATION_REQUESTED: "Reconsidering",
    ClaimStatus.INFORMATION_REQUESTED: "Waiting for info",
}
COUNTS = ["open", *lifecycle.OPEN, "overdue", "unassigned"]


def queue_report(*, today: date | None = None) -> dict[str, Any]:
    """Open claims counted per benefit, and the caseworkers' load. Two queries, whatever
    the number of claims, benefits or caseworkers."""
    today = today or timezone.localdate()
    per_status = {str(status): Count("pk", filter=Q(status=status)) for status in lifecycle.OPEN}
    rows = (
        Claim.objects.filter(status__in=lifecycle.OPEN)
        .values("benefit__code", "benefit__name")
        .annotate(
            open=Count("pk"),
            **per_status,
            overdue=Count("pk", filter=Q(due_by__lt=today)),
            unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        )
        .order_by("benefit__display_order", "benefit__name")
    )
    benefits = [
        {"code": row["benefit__code"], "name": row["benefit__name"]}
        | {key: row[key] for key in COUNTS}
        for row in rows
    ]
    totals = {key: sum(b[key] for b in benefits) for key in COUNTS}
    caseworkers = [
        {"email": row["assigned_to__email"]} | {k: row[k] for k in ("open", "overdue", "waiting")}
        for row in casework_queue.caseworker_load(today=today)
    ]
    return {
        "today": today.isoformat(),
        "benefits": benefits,
        "totals": totals,
        "caseworkers": caseworkers,
    }


class Command(BaseCommand):
    help = (
        "Report the open claims: per benefit by status, overdue and unassigned, and each "
        "caseworker's load (open, overdue, waiting for information)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=["text", "json"],
            default="text",
            help="an aligned table (default) or JSON",
        )

    def handle(self, *args, fmt: str = "text", **options) -> None:
        report = queue_report()
        if fmt == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Open claims on {report['today']} (overdue: past their due date)\n")
        header = ["Benefit", "Open", *(HEADINGS[s] for s in lifecycle.OPEN)]
        header += ["Overdue", "Unassigned"]
        lines = [[b["name"], *(b[k] for k in COUNTS)] for b in report["benefits"]]
        lines.append(["Total", *(report["totals"][k] for k in COUNTS)])
        self.stdout.write(table(header, lines))
        self.stdout.write("\nCaseworkers' load\n")
        if report["caseworkers"]:
            people = [
                [c["email"], c["open"], c["overdue"], c["waiting"]] for c in report["caseworkers"]
            ]
            self.stdout.write(table(["Caseworker", "Open", "Overdue", "Waiting for info"], people))
        else:
            self.stdout.write("No claims are assigned to anyone.")


def table(header: list[str], rows: list[list[Any]]) -> str:
    """Text left-aligned and numbers right-aligned, each column as wide as its widest cell."""
    cells = [header, *[[str(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])
