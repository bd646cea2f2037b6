"""What is owed and paid.

An ``Invoice`` is one fee owed by one payer for one subject (a renewal application, a license
renewal, ...), its amount fixed when it is opened. The Payments issue adds payments against
invoices, the gateway, the ledger, returns and refunds around it.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import ReferenceNumbered, Timestamped


class FeeCode(models.TextChoices):
    PROVIDER_RENEWAL = "provider_renewal", "State certification renewal"
    PROVIDER_INITIAL = "provider_initial", "Initial state certification"
    PROVIDER_REINSTATEMENT = "provider_reinstatement", "Certification reinstatement"
    INSTRUCTOR_RENEWAL = "instructor_renewal", "Instructor/Examiner credential renewal"
    ORGANIZATION_LICENSE = "organization_license", "Organization annual license fee"
    RETURNED_PAYMENT = "returned_payment", "Returned payment fee"


class FeeSchedule(models.Model):
    """A fee's amount from a date on; staff add a row to change a fee for a future date."""

    code = models.CharField(max_length=40, choices=FeeCode.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    effective_from = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="one_fee_per_day"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="fee_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_code_display()}: ${self.amount} from {self.effective_from}"


class InvoiceStatus(models.TextChoices):
    OPEN = "open", "Fee due"
    PAID = "paid", "Paid"
    ON_HOLD = "on_hold", "On hold: payment returned"
    VOID = "void", "Void"


class Invoice(Timestamped):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invoices"
    )
    fee_code = models.CharField(max_length=40, choices=FeeCode.choices)
    description = models.CharField(max_length=200)
    amount = models.DecimalField(
        max_digits=9, decimal_places=2, help_text="Fixed when the invoice was opened."
    )
    status = models.CharField(
        max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    paid_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "fee_code"],
                condition=~models.Q(status="void"),
                name="one_live_invoice_per_subject_and_fee",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=Decimal("0")), name="invoice_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.description} — ${self.amount} ({self.get_status_display()})"


class PaymentMethod(models.TextChoices):
    CARD = "card", "Credit or debit card"
    ACH = "ach", "Bank account (ACH / eCheck)"
    CHECK = "check", "Check"
    MONEY_ORDER = "money_order", "Money order"


# Paid through the processor's hosted page; the others are recorded by staff from the mail.
ONLINE_METHODS = (PaymentMethod.CARD, PaymentMethod.ACH)
STAFF_RECORDED_METHODS = (PaymentMethod.CHECK, PaymentMethod.MONEY_ORDER)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    AUTHORIZED = "authorized", "Authorized (ACH submitted to the bank)"
    SETTLED = "settled", "Settled"
    RETURNED = "returned", "Returned"
    REFUNDED = "refunded", "Refunded"
    FAILED = "failed", "Failed"


# A card sale is authorized and captured at once (pending -> settled); an ACH debit is accepted
# (authorized) and settles or comes back returned days later. A returned ACH debit may be reported
# before or after the settlement file calls it settled, and a card chargeback comes after settlement.
# A checkout closed as failed (the payer left, or started another attempt) can still be confirmed
# paid by the processor later, when the payer finished it in a tab left open: the money is recorded.
PAYMENT_TRANSITIONS = {
    PaymentStatus.PENDING: {PaymentStatus.AUTHORIZED, PaymentStatus.SETTLED, PaymentStatus.FAILED},
    PaymentStatus.AUTHORIZED: {
        PaymentStatus.SETTLED,
        PaymentStatus.RETURNED,
        PaymentStatus.REFUNDED,
    },
    PaymentStatus.SETTLED: {PaymentStatus.RETURNED, PaymentStatus.REFUNDED},
    PaymentStatus.RETURNED: set(),
    PaymentStatus.REFUNDED: set(),
    PaymentStatus.FAILED: {PaymentStatus.AUTHORIZED, PaymentStatus.SETTLED},
}

# Statuses in which money moved from the payer to the office (and counts toward the invoice).
MONEY_IN = (PaymentStatus.AUTHORIZED, PaymentStatus.SETTLED)


class ReturnCode(models.TextChoices):
    """Why a payment came back: NACHA return reason codes, and a card chargeback."""

    R01 = "R01", "R01 — insufficient funds"
    R02 = "R02", "R02 — account closed"
    R03 = "R03", "R03 — no account / unable to locate account"
    R04 = "R04", "R04 — invalid account number"
    R10 = "R10", "R10 — customer advises not authorized"
    CHARGEBACK = "chargeback", "Card chargeback"
    DEBIT_FAILED = "debit_failed", "Bank debit failed (reported by the processor)"


class Payment(ReferenceNumbered, Timestamped):
    """One attempt to pay an invoice: through the processor's hosted page (card, ACH), or a
    check or money order recorded by staff.

    The amounts are fixed when the attempt starts (the pay page): ``amount`` goes toward the
    invoice, ``convenience_fee`` is the card fee on top. Card and bank numbers never reach the
    portal: only the brand and last four digits the processor reports back. Its reference
    (R-2026-000123) is the receipt number."""

    REFERENCE_PREFIX = "R"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    convenience_fee = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    idempotency_key = models.UUIDField(
        unique=True, help_text="Carried by every request of this attempt; one charge per key."
    )
    gateway = models.CharField(max_length=40, help_text="Which gateway adapter handled it.")
    test_mode = models.BooleanField(default=False)
    gateway_reference = models.CharField(max_length=100, blank=True, db_index=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    ach_last4 = models.CharField(max_length=4, blank=True)
    checkout_reference = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="The processor's checkout id."
    )
    checkout_url = models.URLField(max_length=1000, blank=True)
    instrument_number = models.CharField("check or money order number", max_length=40, blank=True)
    received_on = models.DateField(
        null=True, blank=True, help_text="When the check or money order was received."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who recorded the check or money order.",
    )
    failure_message = models.CharField(max_length=300, blank=True)
    return_code = models.CharField(max_length=20, choices=ReturnCode.choices, blank=True)
    refund_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the gateway approved or accepted it."
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    # receipt_sent_at is the emailing task's claim, not a decision: it stays out of the audit.
    history = HistoricalRecords(excluded_fields=["receipt_sent_at"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["method", "completed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
            models.UniqueConstraint(
                fields=["gateway_reference"],
                condition=~models.Q(gateway_reference=""),
                name="one_payment_per_gateway_reference",
            ),
            models.CheckConstraint(
                condition=models.Q(convenience_fee__gte=0), name="convenience_fee_not_negative"
            ),
        ]
        permissions = [
            ("record_return", "Can record a returned payment"),
            ("refund_payment", "Can refund a payment"),
            ("import_settlement", "Can import a settlement file"),
            ("record_offline_payment", "Can record a check or money order"),
        ]

    def __str__(self):
        return f"{self.get_method_display()} ${self.total} ({self.get_status_display()})"

    @property
    def total(self) -> Decimal:
        return self.amount + self.convenience_fee

    @property
    def account_last4(self) -> str:
        return self.card_last4 or self.ach_last4

    @property
    def instrument(self) -> str:
        """How it was paid, for receipts and lists: "Visa ending 4242", "Check no. 1043"."""
        if self.instrument_number:
            return f"{self.get_method_display()} no. {self.instrument_number}"
        label = self.card_brand or self.get_method_display()
        return f"{label} ending {self.account_last4}" if self.account_last4 else label

    @property
    def is_final(self) -> bool:
        return self.status != PaymentStatus.PENDING


class EntryKind(models.TextChoices):
    CHARGE = "charge", "Fee charged"
    PAYMENT = "payment", "Payment"
    RETURNED_PAYMENT = "returned_payment", "Payment returned"
    RETURNED_PAYMENT_FEE = "returned_payment_fee", "Returned payment fee"
    REFUND = "refund", "Refund"


class LedgerEntry(models.Model):
    """The payer's account, one line per money event. ``amount`` is signed: positive is owed by
    the payer (a fee, a payment that came back, a refund paid out), negative is money received.
    The sum over an invoice is what is still due on it; over a payer, their balance.
    The card convenience fee is not in the ledger: it is charged and paid in the same moment
    and shows on the payment and its receipt."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="ledger_entries")
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=30, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    memo = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["account", "created_at"])]
        constraints = [
            # Each money event of a payment is written once, whatever retries happen.
            models.UniqueConstraint(
                fields=["payment", "kind"],
                condition=models.Q(payment__isnull=False),
                name="one_ledger_entry_per_payment_event",
            ),
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(kind="charge"),
                name="one_charge_per_invoice",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:+}"


class WebhookEvent(models.Model):
    """One verified webhook from the processor, stored before it is acted on. The unique
    (gateway, event_id) makes a redelivered event a no-op; ``processed_at`` is set in the same
    transaction as the payment change it caused."""

    gateway = models.CharField(max_length=40)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    payment_ref = models.CharField(
        "payment id in the event", max_length=64, blank=True, help_text="As the event names it."
    )
    reference = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    return_code = models.CharField(max_length=20, blank=True)
    created = models.DateTimeField(help_text="When the processor created the event.")
    payload = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="webhook_events"
    )

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="one_row_per_event")
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


class ReconciliationRun(models.Model):
    """The daily comparison of what the processor settled with what the ledger recorded.
    One row per processor and day: a re-run replaces its mismatches."""

    day = models.DateField()
    gateway = models.CharField(max_length=40)
    ran_at = models.DateTimeField()
    processor_count = models.PositiveIntegerField(default=0)
    processor_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    ledger_count = models.PositiveIntegerField(default=0)
    ledger_total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    findings_digest = models.CharField(max_length=64, blank=True, editable=False)
    emailed_digest = models.CharField(
        max_length=64, blank=True, editable=False, help_text="The findings last emailed."
    )

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "day"], name="one_reconciliation_per_day")
        ]
        permissions = [("reconcile", "Can run the payment reconciliation")]

    def __str__(self):
        return f"Reconciliation {self.day} ({self.gateway})"


class MismatchKind(models.TextChoices):
    SETTLED_NOT_RECORDED = "settled_not_recorded", "Settled by the processor, not in the ledger"
    RECORDED_NOT_SETTLED = "recorded_not_settled", "In the ledger, not settled by the processor"
    AMOUNT_DIFFERS = "amount_differs", "Amounts differ"


class ReconciliationMismatch(models.Model):
    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="mismatches")
    kind = models.CharField(max_length=30, choices=MismatchKind.choices)
    reference = models.CharField(max_length=255, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    processor_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    ledger_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["kind", "reference"]
        verbose_name_plural = "reconciliation mismatches"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.reference}"
