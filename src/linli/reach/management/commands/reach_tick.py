"""Check-ins, roll-call deadlines and the SMS/voice outbox (every minute from cron or a timer)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from linli.reach.outbox import send_due
from linli.reach.services import do_close_overdue, run_checkins


class Command(BaseCommand):
    help = "Open due check-ins, raise tasks for red roll-call wards, send due SMS and calls."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0, help="repeat every N seconds")
        parser.add_argument("--send-only", action="store_true", help="only empty the outbox")

    def handle(self, *args, loop: float = 0, send_only: bool = False, **options):
        while True:
            if not send_only:
                checkins = run_checkins()
                self.stdout.write(f"check-ins {checkins}; red tasks {do_close_overdue()}")
            counts = send_due()
            self.stdout.write(f"outbox {counts}")
            if not loop:
                return
            time.sleep(loop)
