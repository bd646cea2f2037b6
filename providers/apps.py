from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Providers"

    def ready(self):
        from payments import signals

        from . import receivers, verify_cache
        from .models import InitialApplication, ReinstatementApplication, RenewalApplication

        verify_cache.connect()
        signals.invoice_paid.connect(
            receivers.renewal_invoice_paid, sender=RenewalApplication, dispatch_uid="providers-paid"
        )
        signals.invoice_returned.connect(
            receivers.renewal_invoice_returned,
            sender=RenewalApplication,
            dispatch_uid="providers-returned",
        )
        for model, paid, returned, uid in [
            (
                InitialApplication,
                receivers.initial_invoice_paid,
                receivers.initial_invoice_returned,
                "initial",
            ),
            (
                ReinstatementApplication,
                receivers.reinstatement_invoice_paid,
                receivers.reinstatement_invoice_returned,
                "reinstatement",
            ),
        ]:
            signals.invoice_paid.connect(paid, sender=model, dispatch_uid=f"providers-{uid}-paid")
            signals.invoice_returned.connect(
                returned, sender=model, dispatch_uid=f"providers-{uid}-returned"
            )
