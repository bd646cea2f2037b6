"""The demo data: every payment state on existing organizations, and a second run adds nothing."""

import io

import pytest

from accounts import demo as accounts_demo
from payments import demo
from payments.models import Invoice, InvoiceStatus, Payment, PaymentStatus

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_seed_covers_every_state_and_is_idempotent():
    accounts_demo.seed(stdout=io.StringIO())
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "no organizations yet" in out.getvalue()
    OrganizationFactory.create_batch(len(demo.SCENARIOS))
    demo.seed(stdout=io.StringIO())
    statuses = set(Payment.objects.values_list("status", flat=True))
    assert statuses == {
        PaymentStatus.SETTLED,
        PaymentStatus.FAILED,
        PaymentStatus.AUTHORIZED,
        PaymentStatus.RETURNED,
        PaymentStatus.REFUNDED,
    }
    assert {"card", "ach", "check"} <= set(Payment.objects.values_list("method", flat=True))
    assert set(Invoice.objects.values_list("status", flat=True)) == {
        InvoiceStatus.OPEN,
        InvoiceStatus.PAID,
        InvoiceStatus.ON_HOLD,
    }
    counts = (Invoice.objects.count(), Payment.objects.count())
    demo.seed(stdout=io.StringIO())
    assert (Invoice.objects.count(), Payment.objects.count()) == counts
