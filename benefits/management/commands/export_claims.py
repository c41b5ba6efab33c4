"""Export claims sent in a date range as CSV, for reporting: no personal data."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db.models import Q
from django.utils import timezone

from benefits.claims.lifecycle import OPEN
from benefits.models import Benefit, Claim, ClaimStatus

# Data minimisation: the customer appears only as their reference. No names, NI numbers,
# contact details, answers or free text, so the file can go to a spreadsheet safely.
COLUMNS = [
    "reference", "benefit_code", "benefit_name", "status", "submitted_at", "due_by",
    "decided_at", "assigned_to", "customer_reference", "priority", "overdue",
]  # fmt: skip
FIELDS = [
    "reference", "benefit__code", "benefit__name", "status", "submitted_at", "due_by",
    "decided_at", "assigned_to__email", "customer__reference", "priority",
]  # fmt: skip
SENT_STATUSES = [s for s in ClaimStatus.values if s != ClaimStatus.DRAFT]


class Command(BaseCommand):
    help = (
        "Write a CSV of the claims sent in a date range (reference, benefit, status, dates, "
        "caseworker, customer reference, priority, overdue), without personal data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--status",
            action="extend",
            nargs="+",
            default=[],
            metavar="S",
            help=f"only these statuses (repeat, or separate with commas): {', '.join(SENT_STATUSES)}",
        )
        parser.add_argument(
            "--from", dest="date_from", metavar="YYYY-MM-DD", help="sent on or after this day"
        )
        parser.add_argument(
            "--to", dest="date_to", metavar="YYYY-MM-DD", help="sent on or before this day"
        )
        parser.add_argument("--benefit", metavar="CODE", help="only this benefit's claims")
        parser.add_argument(
            "--output", default="-", metavar="FILE", help="file to write, or - for stdout"
        )

    def handle(
        self,
        *args,
        status: list[str],
        date_from: str | None = None,
        date_to: str | None = None,
        benefit: str | None = None,
        output: str = "-",
        **options,
    ) -> None:
        # Every option is checked before a file is opened, so bad input leaves nothing behind.
        statuses = self._statuses(status)
        start, end = _day("--from", date_from), _day("--to", date_to)
        if start and end and start > end:
            raise CommandError(f"--from ({start}) is after --to ({end}).")
        if benefit is not None and not Benefit.objects.filter(code=benefit).exists():
            codes = ", ".join(Benefit.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"--benefit: no benefit has the code {benefit!r}. Codes: {codes}.")

        rows = claim_rows(statuses=statuses, start=start, end=end, benefit=benefit)
        if output == "-":
            count = write_csv(self.stdout, rows)
        else:
            try:
                with open(output, "w", newline="", encoding="utf-8") as file:
                    count = write_csv(file, rows)
            except OSError as exc:
                raise CommandError(f"--output: cannot write {output}: {exc.strerror}") from exc
        # Stderr, so that stdout stays pure CSV.
        self.stderr.write(f"Exported {count} claim{'s' if count != 1 else ''}.")

    def _statuses(self, values: list[str]) -> list[str]:
        wanted = [v.strip() for value in values for v in value.split(",") if v.strip()]
        for value in wanted:
            if value == ClaimStatus.DRAFT:
                raise CommandError("--status: drafts were never sent, so they are not exported.")
            if value not in SENT_STATUSES:
                raise CommandError(
                    f"--status: {value!r} is not a status. Use {', '.join(SENT_STATUSES)}."
                )
        return wanted


def _day(option: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from exc


def claim_rows(
    *, statuses: list[str], start: date | None, end: date | None, benefit: str | None
) -> Iterator[tuple]:
    """Sent claims, oldest first, as tuples in ``FIELDS`` order, fetched 2,000 at a time.

    The range is of local days, inclusive at both ends, as half-open datetimes so the
    (status, submitted_at) index serves it.
    """
    query = Q(submitted_at__isnull=False)
    if statuses:
        query &= Q(status__in=statuses)
    if start:
        query &= Q(submitted_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        after = end + timedelta(days=1)
        query &= Q(submitted_at__lt=timezone.make_aware(datetime.combine(after, time.min)))
    if benefit:
        query &= Q(benefit__code=benefit)
    return (
        Claim.objects.filter(query)
        .order_by("submitted_at", "pk")
        .values_list(*FIELDS)
        .iterator(chunk_size=2000)
    )


def write_csv(out: TextIO | OutputWrapper, rows: Iterator[tuple]) -> int:
    today = timezone.localdate()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for ref, code, name, status, sent, due, decided, email, customer, priority in rows:
        overdue = status in OPEN and due is not None and due < today
        writer.writerow(
            [
                ref, code, _cell(name), status, _iso(sent), due.isoformat() if due else "",
                _iso(decided), _cell(email or ""), customer, priority, "yes" if overdue else "no",
            ]
        )  # fmt: skip
        count += 1
    return count


def _iso(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _cell(text: str) -> str:
    # Staff-editable text (a benefit's name, an email) must not run as a spreadsheet formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
