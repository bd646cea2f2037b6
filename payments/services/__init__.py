"""Writes on invoices, payments and the ledger: opening and settling invoices (the contract the
other apps use), paying through the processor's hosted page, the processor's signed webhooks,
checks and money orders recorded by staff, returns, refunds and the daily reconciliation.

The portal never charges anything itself: it creates a checkout at the processor (one per
attempt, the attempt's idempotency key passed on) and records money only when the processor's
signed confirmation arrives. Each webhook event is stored once (unique event id) and acted on
once, in a task, under the payment's lock.

One module per subject; the public names are re-exported here so callers keep
``from payments import services`` (``services.invoice_open``, ``services.payment_refund``…):

- ``invoices``: the contract the other apps use (open, paid, on hold) and money received;
- ``checkout``: paying through the processor's hosted page;
- ``webhooks``: the processor's signed events;
- ``offline``: checks and money orders recorded by staff;
- ``refunds``: settlement, returns and refunds;
- ``reconciliation``: the daily reconciliation;
- ``ledger``: what every way of paying writes (ledger lines, a failed attempt, emails).
"""

from .checkout import payment_checkout, payment_start
from .invoices import (
    INVOICE_TRANSITIONS,
    PAYABLE,
    invoice_mark_paid,
    invoice_open,
    invoice_put_on_hold,
)
from .offline import OFFLINE_NAMESPACE, STAFF_GATEWAY, payment_record_offline
from .reconciliation import reconciliation_run
from .refunds import payment_refund, payment_return, payment_settle, settlement_apply
from .webhooks import webhook_event_process, webhook_receive

__all__ = [
    "INVOICE_TRANSITIONS",
    "OFFLINE_NAMESPACE",
    "PAYABLE",
    "STAFF_GATEWAY",
    "invoice_mark_paid",
    "invoice_open",
    "invoice_put_on_hold",
    "payment_checkout",
    "payment_record_offline",
    "payment_refund",
    "payment_return",
    "payment_settle",
    "payment_start",
    "reconciliation_run",
    "settlement_apply",
    "webhook_event_process",
    "webhook_receive",
]
