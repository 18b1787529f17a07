from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "linli.services"
    label = "services"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the services.escalate job)
