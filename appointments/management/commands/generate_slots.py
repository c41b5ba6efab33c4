from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from appointments import generation


class Command(BaseCommand):
    help = (
        "Make the appointment slots of the next N weeks from every active availability, "
        "bank holidays left out. Slots already made are left alone: running it again makes "
        "nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--weeks", type=int, default=8, help="How many weeks ahead (8).")

    def handle(self, *args, **options) -> None:
        weeks: int = options["weeks"]
        if not 1 <= weeks <= 52:
            raise CommandError("--weeks must be from 1 to 52.")
        made = generation.generate_slots(weeks=weeks)
        self.stdout.write(self.style.SUCCESS(f"{made} new slots for the next {weeks} weeks."))
