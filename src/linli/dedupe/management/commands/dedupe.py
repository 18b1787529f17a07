"""``linli dedupe --community CODE``: find residents registered more than once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from linli.dedupe.services import DedupeRefused, do_find_duplicates
from linli.domain.linkage import REVIEW
from linli.places.models import Place


class Command(BaseCommand):
    help = "Find residents of a community registered more than once and store candidate pairs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--community", required=True, help="community code, 12 digits")
        parser.add_argument(
            "--min-probability",
            type=float,
            default=REVIEW,
            help=f"keep pairs from this match probability up (default {REVIEW})",
        )

    def handle(self, *args, community: str, min_probability: float, **options) -> None:
        if not 0.0 <= min_probability < 1.0:
            raise CommandError(f"--min-probability must be in [0, 1), got {min_probability}")
        place = Place.objects.filter(code=community.strip()).first()
        if place is None:
            raise CommandError(f"--community: no place with code {community!r}")
        try:
            summary = do_find_duplicates(
                actor=None, community=place, min_probability=min_probability
            )
        except DedupeRefused as error:
            raise CommandError(f"--community: {error}") from None
        self.stdout.write(
            f"{place.code}: {summary['residents']} residents, "
            f"{summary['candidates']} candidate pairs to review "
            f"({summary['likely']} likely the same person), "
            f"{summary['already_decided']} already decided"
        )
