"""What the payments app tells the things paid for. Sent on commit, ``sender`` is the subject's
model class, with ``invoice=`` and ``subject=``. A subject's app connects a receiver that calls
its own service (e.g. a renewal application moves from "fee due" to "paid")."""

from django.dispatch import Signal

invoice_paid = Signal()  # the invoice is settled: first payment, or a balance paid after a return
invoice_returned = Signal()  # a payment came back: the subject goes on hold until paid again
