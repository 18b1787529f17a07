from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "linli.screening"
    label = "screening"
    verbose_name = _("Daily screening")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the screening.remind_reports job)
