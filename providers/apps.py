from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers"

    def ready(self):
        from payments import signals

        from . import receivers
        from .models import RenewalApplication

        signals.invoice_paid.connect(
            receivers.renewal_invoice_paid, sender=RenewalApplication, dispatch_uid="providers-paid"
        )
        signals.invoice_returned.connect(
            receivers.renewal_invoice_returned,
            sender=RenewalApplication,
            dispatch_uid="providers-returned",
        )
