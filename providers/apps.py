from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers"

    def ready(self):
        # Imported here, not at the top: models must be loaded before services are.
        from . import verify_cache
        from .applications import flow

        verify_cache.connect()
        flow.connect_payment_signals()
