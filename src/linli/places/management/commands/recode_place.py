"""Give a place a new code (and parent or level) as a system administrator: the command
line of ``do_recode_place``, the only way a place's code, parent or level changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from linli.accounts.models import User
from linli.places.models import Place
from linli.places.services import PlaceError, do_recode_place


class Command(BaseCommand):
    help = "Recode a place and everything below it, re-checking every account bound there."

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="the place's current code")
        parser.add_argument("new_code")
        parser.add_argument("--actor", required=True, help="username of a system administrator")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--parent", help="code of the new parent (default: the same)")
        parser.add_argument("--level", help="new level (only a place with nothing below)")

    def handle(self, *args, **options):
        def one(model, what: str, **lookup):
            found = model.objects.filter(**lookup).first()
            if found is None:
                raise CommandError(f"no {what} {next(iter(lookup.values()))}")
            return found

        actor = one(User, "account", username=options["actor"])
        place = one(Place, "place", code=options["code"])
        parent = one(Place, "place", code=options["parent"]) if options["parent"] else None
        try:
            summary = do_recode_place(
                actor=actor,
                place=place,
                code=options["new_code"],
                parent=parent,
                level=options["level"],
                reason=options["reason"],
            )
        except (PlaceError, PermissionDenied) as error:
            raise CommandError(str(error) or "only a system administrator recodes places") from None
        self.stdout.write(
            f"recoded {options['code']} → {options['new_code']}: {summary.places} places, "
            f"{summary.accounts_checked} accounts and tokens below re-checked, "
            f"{summary.accounts_gaining} accounts above now reach them, "
            f"{summary.accounts_losing} no longer"
        )
