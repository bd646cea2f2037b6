"""What every way of paying writes: the ledger line, a failed attempt, the payer's emails."""

from core.outbox import enqueue
from core.transitions import transition

from .. import emails
from ..models import (
    PAYMENT_TRANSITIONS,
    LedgerEntry,
    Payment,
    PaymentStatus,
)


def _fail(payment: Payment, *, actor, message: str, changes=None) -> Payment:
    return transition(
        payment,
        allowed=PAYMENT_TRANSITIONS,
        target=PaymentStatus.FAILED,
        actor=actor,
        reason=message,
        changes={"failure_message": message[:300], **(changes or {})},
    )


def _ledger(*, invoice, kind, amount, actor, payment=None, memo="") -> LedgerEntry:
    return LedgerEntry.objects.create(
        account_id=invoice.payer_id,
        invoice=invoice,
        payment=payment,
        kind=kind,
        amount=amount,
        memo=memo[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _send_email(name: str, payment_id) -> None:
    enqueue(getattr(emails, name), str(payment_id))  # core.outbox: in the transaction
