from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "linli.register"
    label = "register"
    verbose_name = _("Register")

    def ready(self) -> None:
        from . import jobs  # noqa: F401  registers the import jobs with the runner
