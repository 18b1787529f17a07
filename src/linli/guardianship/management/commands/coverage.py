from django.core.management.base import BaseCommand, CommandError

from linli.guardianship.models import CoverageSnapshot, Gap
from linli.places.models import Level, Place


class Command(BaseCommand):
    help = "Show a community's guardianship coverage and every gap with its reason."

    def add_arguments(self, parser):
        parser.add_argument("--community", required=True, help="12-digit community code")

    def handle(self, *args, community, **options):
        place = Place.objects.filter(code=community, level=Level.COMMUNITY).first()
        if place is None:
            raise CommandError(f"unknown community code {community!r}")
        latest = CoverageSnapshot.objects.filter(community=place).first()
        if latest is None:
            self.stdout.write(
                f"{place.code}: no plan yet (run linli match --community {place.code})"
            )
            return
        self.stdout.write(
            f"{place.code} {place.short_name}: {latest.wards} wards, {latest.percent:.1f}% with both guardians, "
            f"planned {latest.at:%Y-%m-%d %H:%M}"
        )
        for gap in Gap.objects.filter(community=place).order_by("ward_id", "role"):
            self.stdout.write(f"  ward {gap.ward_id} {gap.role}: {gap.reason}")
