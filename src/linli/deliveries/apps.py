from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveriesConfig(AppConfig):
    name = "linli.deliveries"
    label = "deliveries"
    verbose_name = _("Deliveries")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the deliveries.renew job)
