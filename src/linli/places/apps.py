from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reinstall_guard(sender, using, **kwargs) -> None:
    """SQLite loses a table's triggers when a migration rebuilds it: put them back."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import dbguard

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("places", "0003_place_identity_guard") in applied:
        dbguard.install(connection)


class PlacesConfig(AppConfig):
    name = "linli.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self) -> None:
        post_migrate.connect(_reinstall_guard, sender=self)
