from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Organizations"

    def ready(self):
        from payments.signals import invoice_paid

        from .models import OrganizationApplication
        from .services import on_invoice_paid

        invoice_paid.connect(
            on_invoice_paid, sender=OrganizationApplication, dispatch_uid="organizations.fee_paid"
        )
