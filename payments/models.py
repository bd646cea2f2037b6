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


class Invoice(models.Model):
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
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

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
