"""Demo invoices and payments in every state, paid through the test processor's hosted page
with its documented test numbers (and one check recorded by staff), for the demo organization administrator (orgadmin@example.com).

Only subjects that exist are used: organizations' annual license fees (the Organizations demo
creates them; seed_demo runs payments first, so a fresh database gets these on its second
run). Idempotent: an organization that already has a license-fee invoice is left alone."""

import uuid

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.demo import demo_user
from organizations.models import Organization
from test_processor.services import debits_release, events_flush, pay_hosted

from . import services
from .models import FeeCode, Invoice, Payment, PaymentMethod
from .selectors import invoice_for

PAYER = "orgadmin@example.com"
STAFF = "supervisor@example.com"


def _pay(invoice, payer, method, *numbers):
    """Pay through the test processor's hosted page, trying each number in turn."""
    payment = services.payment_start(
        invoice=invoice, payer=payer, method=method, idempotency_key=uuid.uuid4()
    )
    for number in numbers:
        payment = pay_hosted(payment, number=number)
    # Demo data sends no receipts: claim them before the commit that would queue them.
    Payment.objects.filter(pk=payment.pk).update(receipt_sent_at=timezone.now())
    return payment


def _release(payment):
    """The bank's answer days later, for one test debit."""
    debits_release(checkout_ids=[payment.checkout_reference])
    events_flush()


SCENARIOS = [
    ("open", "fee due, not paid"),
    ("card_paid", "a declined card, the payer left; a new attempt paid by card"),
    ("ach_pending", "paid by ACH, not settled yet"),
    ("returned", "ACH returned R01: on hold, $15 fee owed"),
    ("refunded", "paid by card, then refunded"),
    ("ach_settled", "paid by ACH and settled"),
    ("check", "paid by check, recorded by staff"),
]


def _run(name, invoice, payer, staff):
    if name == "card_paid":
        # Declined on the processor's page, the payer leaves; the next attempt closes that one.
        _pay(invoice, payer, PaymentMethod.CARD, "4000000000000002")
        _pay(invoice, payer, PaymentMethod.CARD, "4242424242424242")
    elif name == "ach_pending":
        _pay(invoice, payer, PaymentMethod.ACH, "000123456789")
    elif name == "returned":
        _release(_pay(invoice, payer, PaymentMethod.ACH, "000222222227"))
    elif name == "refunded":
        payment = _pay(invoice, payer, PaymentMethod.CARD, "5555555555554444")
        services.payment_refund(
            payment=payment, actor=staff, reason="Duplicate license filing (demo)"
        )
    elif name == "ach_settled":
        _release(_pay(invoice, payer, PaymentMethod.ACH, "000123456789"))
    elif name == "check":
        services.payment_record_offline(
            invoice=invoice,
            method=PaymentMethod.CHECK,
            number="1043",
            amount=invoice.amount,
            received_on=timezone.localdate(),
            actor=staff,
        )


def seed(*, stdout, providers=None):
    payer, staff = demo_user(PAYER), demo_user(STAFF)
    organizations = list(
        Organization.objects.filter(administrators=payer).order_by("number")[: len(SCENARIOS)]
    )
    if len(organizations) < len(SCENARIOS):
        organizations += list(
            Organization.objects.exclude(pk__in=[o.pk for o in organizations]).order_by("number")[
                : len(SCENARIOS) - len(organizations)
            ]
        )
    if not organizations:
        stdout.write("  payments: no organizations yet; run seed_demo again for demo payments")
        return
    created = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for organization, (name, _) in zip(organizations, SCENARIOS, strict=False):
            if invoice_for(subject=organization, fee_code=FeeCode.ORGANIZATION_LICENSE):
                continue
            with transaction.atomic():
                invoice = services.invoice_open(
                    subject=organization,
                    payer=payer,
                    fee_code=FeeCode.ORGANIZATION_LICENSE,
                    description=f"Annual license fee — {organization.legal_name}",
                )
                _run(name, invoice, payer, staff)
            created += 1
        events_flush()  # a refund's own confirmation, sent after the refund
    total = Invoice.objects.filter(payer=payer).count()
    stdout.write(f"  payments: {created} new demo invoices ({total} for {PAYER}), test mode")
