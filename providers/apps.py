from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers"

    def ready(self):
        # Imported here, not at the top: models must be loaded before services are.
        from . import verify_cache
        from .applications import flow
        from .contact import signals as contact_signals

        verify_cache.connect()
        flow.connect_payment_signals()
        contact_signals.connect()
