"""The fake processor's own records: what a real processor keeps on its side (checkouts and the
events it sends). The portal's payments app never reads these tables; it learns what happened
from the signed webhooks, exactly as from a real processor."""

import uuid

from django.db import models


def _new_id(prefix: str) -> str:
    return f"{prefix}_test_{uuid.uuid4().hex[:24]}"


def new_checkout_id() -> str:
    return _new_id("cs")


class CheckoutStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETE = "complete", "Complete"
    EXPIRED = "expired", "Expired"


class TestCheckout(models.Model):
    __test__ = False  # not a pytest test class, whatever its name

    id = models.CharField(primary_key=True, max_length=40, default=new_checkout_id)
    idempotency_key = models.CharField(max_length=100, unique=True)
    payment_id = models.CharField(max_length=64, help_text="The portal's payment id.")
    method = models.CharField(max_length=10)  # card or ach
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    convenience_fee = models.DecimalField(max_digits=9, decimal_places=2)
    description = models.CharField(max_length=200)
    customer_email = models.CharField(max_length=254, blank=True)
    return_url = models.CharField(max_length=1000)
    cancel_url = models.CharField(max_length=1000)
    status = models.CharField(
        max_length=10, choices=CheckoutStatus.choices, default=CheckoutStatus.OPEN
    )
    payment_status = models.CharField(max_length=10, default="unpaid")  # unpaid or paid
    payment_reference = models.CharField(max_length=40, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    later_return_code = models.CharField(
        max_length=10, blank=True, help_text="For a test bank account that fails later."
    )
    debit_failed = models.BooleanField(default=False)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    refunded_amount = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.id} ({self.status})"

    @property
    def total(self):
        return self.amount + self.convenience_fee


class TestEvent(models.Model):
    """An event the fake processor sends to the portal, signed when delivered."""

    __test__ = False

    id = models.CharField(primary_key=True, max_length=40)
    type = models.CharField(max_length=100)
    payload = models.TextField()
    checkout = models.ForeignKey(TestCheckout, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_response = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.type} {self.id}"
