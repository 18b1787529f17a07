from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DedupeConfig(AppConfig):
    name = "linli.dedupe"
    label = "dedupe"
    verbose_name = _("Duplicate registrations")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  registers the dedupe job with the runner
