from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosteringConfig(AppConfig):
    name = "linli.rostering"
    label = "rostering"
    verbose_name = _("Rostering")

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the rostering.build job)
