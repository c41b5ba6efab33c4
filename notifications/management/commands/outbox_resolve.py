from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from notifications import services
from notifications.models import Delivery
from notifications.services import Resolved

WOULD = {
    Resolved.DELIVERED: "would be recorded as sent",
    Resolved.RESENT: "would be resent",
    Resolved.UNCHECKED: "would be left uncertain",
    Resolved.UNREACHABLE: "provider not reached: left uncertain",
}


class Command(BaseCommand):
    help = (
        "Settle deliveries left uncertain by a worker that died mid-send: ask the provider "
        "where it keeps a record (texts), record as sent what it has and send again what it "
        "never received. What cannot be checked (email) stays uncertain unless "
        "--resend-unchecked. Prints each delivery and a summary; running it again changes "
        "nothing already settled."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Ask the providers and say what would happen; change nothing.",
        )  # fmt: skip
        parser.add_argument(
            "--delivery", type=int, action="append", dest="deliveries", metavar="ID",
            help="Only this delivery (repeat for more); default: every uncertain one.",
        )  # fmt: skip
        parser.add_argument(
            "--resend-unchecked", action="store_true",
            help="Also send again what the provider cannot be asked about (email): the "
            "person may receive it twice.",
        )  # fmt: skip

    def handle(self, *args, **options) -> None:
        dry_run: bool = options["dry_run"]
        if dry_run:
            self.stdout.write("Dry run: nothing will be changed.")
        chosen = options["deliveries"]
        report = services.resolve_uncertain(
            by=None,
            deliveries=Delivery.objects.filter(pk__in=chosen).order_by("pk") if chosen else None,
            resend_unchecked=options["resend_unchecked"],
            dry_run=dry_run,
        )
        for item in report:
            line = f"  delivery {item.delivery_id} ({item.channel}) of notification "
            line += f"{item.notification_id}: "
            if dry_run:  # the note says what was done: only the reasons apply yet
                line += WOULD.get(item.outcome, str(item.outcome)) + "."
                if item.outcome in (Resolved.UNCHECKED, Resolved.UNREACHABLE):
                    line += f" {item.detail.split('. ')[0]}."
            else:
                line += f"{item.outcome}. {item.detail}"
            self.stdout.write(line)
        counts = Counter(item.outcome for item in report)
        left = counts[Resolved.UNCHECKED] + counts[Resolved.UNREACHABLE]
        summary = (
            f"Checked and delivered: {counts[Resolved.DELIVERED]}, "
            f"resent: {counts[Resolved.RESENT]}, left uncertain: {left}"
        )
        if counts[Resolved.CHANGED]:
            summary += f", changed meanwhile: {counts[Resolved.CHANGED]}"
        if counts[Resolved.UNREACHABLE]:
            self.stdout.write(summary)
            raise CommandError(
                f"{counts[Resolved.UNREACHABLE]} could not be asked about: the provider "
                "could not be reached. Run the command again later."
            )
        self.stdout.write(self.style.SUCCESS(summary) if not left else summary)
