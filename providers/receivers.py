"""What the providers app does when payments tells it about a renewal's invoice."""

from . import services
from .models import RenewalStatus

# A payment that comes back after the decision does not reopen it: the certification stays as
# decided, the balance stays on the payer's account and payments emails them to pay it.
DECIDED = (RenewalStatus.APPROVED, RenewalStatus.DENIED)


def renewal_invoice_paid(sender, *, invoice, subject, **kwargs):
    if subject.status in DECIDED:
        return
    services.renewal_mark_paid(application=subject, actor=None)


def renewal_invoice_returned(sender, *, invoice, subject, **kwargs):
    if subject.status in DECIDED:
        return
    services.renewal_put_on_hold(
        application=subject, actor=None, reason="Payment returned; fee due again"
    )
