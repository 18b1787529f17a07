from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "linli.reports"
    label = "reports"
    verbose_name = _("Department reports")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  registers the scheduled-reports job
