from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lib import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it again changes nothing)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off. Demo sign-ins have published passwords.",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: its passwords are public. "
                "Use --allow-production on a throwaway environment."
            )
        for module in demo.modules():
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
