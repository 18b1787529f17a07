"""Send the notifications that are due (run it every minute from cron or a timer in production)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from linli.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Send due notifications from the outbox; failures are retried with back-off."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, help="repeat every N seconds")

    def handle(self, *args, loop: float = 0, **options):
        while True:
            counts = deliver_due()
            self.stdout.write(
                f"sent {counts['sent']}, retry later {counts['retry']}, gave up {counts['failed']}"
            )
            if not loop:
                return
            time.sleep(loop)
