"""What the providers app does when payments tells it about an application's invoice (renewal,
initial certification, reinstatement)."""

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


def initial_invoice_paid(sender, *, invoice, subject, **kwargs):
    from .initial import initial_mark_paid

    initial_mark_paid(application=subject, actor=None)


def initial_invoice_returned(sender, *, invoice, subject, **kwargs):
    from .initial import initial_put_on_hold

    initial_put_on_hold(application=subject, actor=None, reason="Payment returned; fee due again")


def reinstatement_invoice_paid(sender, *, invoice, subject, **kwargs):
    from .reinstatement import reinstatement_mark_paid

    reinstatement_mark_paid(application=subject, actor=None)


def reinstatement_invoice_returned(sender, *, invoice, subject, **kwargs):
    from .reinstatement import reinstatement_put_on_hold

    reinstatement_put_on_hold(
        application=subject, actor=None, reason="Payment returned; fee due again"
    )
