from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "linli.supplies"
    label = "supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the supplies.low_stock job)
