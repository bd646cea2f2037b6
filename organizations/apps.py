from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Organizations"

    def ready(self):
        # Imported once the app registry is ready (models and services load models).
        from payments.signals import invoice_paid, invoice_returned

        from .models import OrganizationApplication
        from .services import on_invoice_paid, on_invoice_returned

        invoice_paid.connect(
            on_invoice_paid, sender=OrganizationApplication, dispatch_uid="organizations.fee_paid"
        )
        invoice_returned.connect(
            on_invoice_returned,
            sender=OrganizationApplication,
            dispatch_uid="organizations.fee_returned",
        )
