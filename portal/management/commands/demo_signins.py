from __future__ import annotations

from django.core.management.base import BaseCommand

from lib import demo


class Command(BaseCommand):
    help = "Print the demo sign-ins that seed_demo creates."

    def handle(self, *args, **options) -> None:
        self.stdout.write("  Demo sign-ins (development only):")
        for signin in demo.signins():
            note = f"  ({signin.note})" if signin.note else ""
            self.stdout.write(f"    {signin.role:<28} {signin.email:<26} {signin.password}{note}")
