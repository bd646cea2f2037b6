from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Oversight dashboard"

    def ready(self):
        from . import signals

        signals.connect()
