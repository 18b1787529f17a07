from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "linli.offline"
    label = "offline"
