"""Demo invoices and payments in every state, paid through the test-mode gateway with its
documented test numbers, for the demo organization administrator (orgadmin@example.com).

Only subjects that exist are used: organizations' annual license fees (the Organizations demo
creates them; seed_demo runs payments first, so a fresh database gets these on its second
run). Idempotent: an organization that already has a license-fee invoice is left alone."""

import uuid

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.demo import demo_user
from organizations.models import Organization

from . import services
from .gateway import BankAccount, CardDetails, TestModeGateway
from .models import FeeCode, Invoice, Payment, PaymentMethod
from .selectors import invoice_for

PAYER = "orgadmin@example.com"
STAFF = "supervisor@example.com"
ROUTING = TestModeGateway.TEST_ROUTING_NUMBER


def _card(number):
    return CardDetails(
        number=number,
        exp_month=12,
        exp_year=timezone.localdate().year + 3,
        cvc="123",
        name="Olive Organization",
        postal_code="06106",
    )


def _bank(number):
    return BankAccount(
        routing_number=ROUTING,
        account_number=number,
        account_type="checking",
        name="Olive Organization",
    )


def _pay(invoice, payer, method, how):
    payment = services.payment_start(
        invoice=invoice, payer=payer, method=method, idempotency_key=uuid.uuid4()
    )
    if method == PaymentMethod.CARD:
        payment = services.payment_pay_by_card(payment=payment, card=_card(how), actor=payer)
    else:
        payment = services.payment_pay_by_ach(payment=payment, account=_bank(how), actor=payer)
    # Demo data sends no receipts: claim them before the commit that would queue them.
    Payment.objects.filter(pk=payment.pk).update(receipt_sent_at=timezone.now())
    return payment


SCENARIOS = [
    ("open", "fee due, not paid"),
    ("card_paid", "a declined card, then paid by card"),
    ("ach_pending", "paid by ACH, not settled yet"),
    ("returned", "ACH returned R01: on hold, $15 fee owed"),
    ("refunded", "paid by card, then refunded"),
    ("ach_settled", "paid by ACH and settled"),
]


def _run(name, invoice, payer, staff):
    if name == "card_paid":
        _pay(invoice, payer, PaymentMethod.CARD, "4000000000000002")
        _pay(invoice, payer, PaymentMethod.CARD, "4242424242424242")
    elif name == "ach_pending":
        _pay(invoice, payer, PaymentMethod.ACH, "000123456789")
    elif name == "returned":
        payment = _pay(invoice, payer, PaymentMethod.ACH, "000222222227")
        services.settlement_apply(
            entries=TestModeGateway().settlement_report(references=[payment.gateway_reference]),
            actor=staff,
        )
    elif name == "refunded":
        payment = _pay(invoice, payer, PaymentMethod.CARD, "5555555555554444")
        services.payment_refund(
            payment=payment, actor=staff, reason="Duplicate license filing (demo)"
        )
    elif name == "ach_settled":
        payment = _pay(invoice, payer, PaymentMethod.ACH, "000123456789")
        services.payment_settle(payment=payment, actor=staff, reason="Settled (demo)")


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
    total = Invoice.objects.filter(payer=payer).count()
    stdout.write(f"  payments: {created} new demo invoices ({total} for {PAYER}), test mode")
