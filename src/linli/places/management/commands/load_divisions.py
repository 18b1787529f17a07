"""Load the real Chengdu divisions (districts, streets, communities) shipped with Linli."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from linli.domain.divisions import DivisionDataError
from linli.places.services import do_load_divisions


class Command(BaseCommand):
    help = (
        "Load Chengdu's districts, streets and communities with their official codes (idempotent)."
    )

    def handle(self, *args, **options):
        try:
            summary = do_load_divisions()
        except DivisionDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"places: {summary.created} new, {summary.unchanged} already there")
