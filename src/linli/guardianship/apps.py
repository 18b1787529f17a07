from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardianshipConfig(AppConfig):
    name = "linli.guardianship"
    label = "guardianship"
    verbose_name = _("Guardianship")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers the jobs)
