"""Enqueue the periodic jobs (escalation of missed contacts, notification retries)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from linli.jobs.schedule import PERIODIC, run_forever, tick


class Command(BaseCommand):
    help = "Enqueue the periodic jobs once for the current time slot; --loop S repeats every S seconds."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=float, default=0)

    def handle(self, *args, loop: float = 0, **options):
        if loop:
            self.stdout.write(f"scheduling {', '.join(PERIODIC)} every {loop:g} s")
            run_forever(loop)
        jobs = tick()
        self.stdout.write(
            ", ".join(f"{job.kind} {job.status}" for job in jobs) or "no places loaded"
        )
