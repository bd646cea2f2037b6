"""What the providers app does when payments tells it about a renewal's invoice."""

from . import services


def renewal_invoice_paid(sender, *, invoice, subject, **kwargs):
    services.renewal_mark_paid(application=subject, actor=None)


def renewal_invoice_returned(sender, *, invoice, subject, **kwargs):
    services.renewal_put_on_hold(
        application=subject, actor=None, reason="Payment returned; fee due again"
    )
