from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforceConfig(AppConfig):
    name = "linli.taskforce"
    label = "taskforce"
    verbose_name = _("Task force")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the taskforce.* periodic jobs)
