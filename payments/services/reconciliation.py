"""The daily reconciliation of what the processor settled with what the ledger recorded."""

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit

from ..gateway import (
    get_gateway,
)
from ..models import (
    MismatchKind,
    Payment,
    PaymentStatus,
    ReconciliationMismatch,
    ReconciliationRun,
)

# --- the daily reconciliation ---------------------------------------------------------------


def reconciliation_run(*, day: date) -> ReconciliationRun:
    """Compare what the processor settled on ``day`` with what the ledger recorded, and keep
    the mismatches for staff: settled but not recorded, recorded (settled that day) but not
    settled by the processor, different amounts. A re-run replaces the day's findings; the
    finance role is emailed when the findings are new or changed, once."""
    gateway = get_gateway()
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    settled = gateway.settled_transactions(start=start, end=end)  # GatewayError: task retries
    processor: dict[str, Decimal] = {}
    for item in settled:
        processor[item.reference] = processor.get(item.reference, Decimal("0")) + item.amount
    known = {
        payment.gateway_reference: payment
        for payment in Payment.objects.filter(gateway_reference__in=list(processor))
    }
    recorded = list(
        Payment.objects.filter(gateway=gateway.name, settled_at__gte=start, settled_at__lt=end)
    )
    findings: list[tuple[str, str, Payment | None, Decimal | None, Decimal | None]] = []
    for reference, amount in sorted(processor.items()):
        payment = known.get(reference)
        if payment is None or payment.status in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            findings.append((MismatchKind.SETTLED_NOT_RECORDED, reference, payment, amount, None))
        elif payment.total != amount:
            findings.append(
                (MismatchKind.AMOUNT_DIFFERS, reference, payment, amount, payment.total)
            )
    for payment in recorded:
        if payment.gateway_reference not in processor:
            findings.append(
                (
                    MismatchKind.RECORDED_NOT_SETTLED,
                    payment.gateway_reference,
                    payment,
                    None,
                    payment.total,
                )
            )
    digest = hashlib.sha256(
        repr(
            [(kind, ref, str(p_amt), str(l_amt)) for kind, ref, _, p_amt, l_amt in findings]
        ).encode()
    ).hexdigest()
    with transaction.atomic():
        run, _ = ReconciliationRun.objects.select_for_update().get_or_create(
            gateway=gateway.name, day=day, defaults={"ran_at": timezone.now()}
        )
        run.ran_at = timezone.now()
        run.processor_count = len(processor)
        run.processor_total = sum(processor.values(), Decimal("0.00"))
        run.ledger_count = len(recorded)
        run.ledger_total = sum((p.total for p in recorded), Decimal("0.00"))
        run.findings_digest = digest if findings else ""
        run.save()
        # The findings are derived from the two sides each time: replaced, not edited.
        run.mismatches.all().delete()
        ReconciliationMismatch.objects.bulk_create(
            ReconciliationMismatch(
                run=run,
                kind=kind,
                reference=reference,
                payment=payment,
                processor_amount=processor_amount,
                ledger_amount=ledger_amount,
            )
            for kind, reference, payment, processor_amount, ledger_amount in findings
        )
        if findings and run.emailed_digest != digest:
            enqueue_on_commit("payments.tasks.email_reconciliation", run.pk)
    return run
