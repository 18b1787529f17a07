import time

from django.core.management.base import BaseCommand, CommandError

from linli.guardianship.models import Trigger
from linli.guardianship.problem import communities_with_wards
from linli.guardianship.replan import do_replan_community
from linli.places.models import Level, Place


class Command(BaseCommand):
    help = "Plan primary and backup guardians for one community (--community CODE) or every community (--all)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--community", help="12-digit community code")
        group.add_argument("--all", action="store_true", help="every community that has wards")

    def handle(self, *args, community=None, all=False, **options):
        if community:
            places = list(Place.objects.filter(code=community, level=Level.COMMUNITY))
            if not places:
                raise CommandError(f"unknown community code {community!r}")
        else:
            places = list(
                Place.objects.filter(
                    level=Level.COMMUNITY, code__in=communities_with_wards()
                ).order_by("code")
            )
        started = time.perf_counter()
        totals = {"wards": 0, "primary": 0, "backup": 0, "gaps": 0, "cost": 0.0}
        for place in places:
            result = do_replan_community(community=place, trigger=Trigger.COMMAND, actor=None)
            totals["wards"] += result.wards
            totals["primary"] += result.primary_filled
            totals["backup"] += result.backup_filled
            totals["gaps"] += result.gaps
            totals["cost"] += result.cost
            if community:
                self.stdout.write(
                    f"{place.code} {place.short_name}: wards {result.wards}, primary {result.primary_filled}, "
                    f"backup {result.backup_filled}, gaps {result.gaps}, cost {result.cost:.1f}, "
                    f"changed {len(result.changed)}, {result.millis:.1f} ms"
                )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"communities {len(places)}, wards {totals['wards']}, primary filled {totals['primary']}, "
            f"backup filled {totals['backup']}, gaps {totals['gaps']}, cost {totals['cost']:.1f} m, "
            f"time {seconds:.2f} s"
        )
