"""Factories and helpers for payments tests: an Organization is the subject paid for (its annual
license fee), since it exists in every branch."""

import itertools
import uuid
from importlib import import_module

import factory
import pytest

from organizations.models import CredentialType, Organization, Ownership, ServiceKind
from payments import services
from payments.models import FeeCode, FeeSchedule, PaymentMethod
from test_processor import services as test_processor
from test_processor.services import TEST_ROUTING_NUMBER

_numbers = itertools.count(1)
_towns = itertools.count(0)  # a different town per invoice: one live invoice per subject

APPROVE = "4242424242424242"
DECLINE = "4000000000000002"
EXPIRED = "4000000000000069"
ERROR = "4000000000000119"
ACH_SETTLES = "000123456789"
ACH_R01 = "000222222227"
ACH_R03 = "000111111116"
ROUTING = TEST_ROUTING_NUMBER


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"Town Ambulance {n}")
    number = factory.LazyFunction(lambda: f"AMB-{next(_numbers):04d}")
    kind = ServiceKind.AMBULANCE
    ownership = Ownership.COMMERCIAL
    credential_type = CredentialType.LICENSE
    email = factory.Sequence(lambda n: f"org{n}@example.com")


def open_invoice(payer, organization=None):
    organization = organization or OrganizationFactory()
    organization.administrators.add(payer)
    return services.invoice_open(
        subject=organization,
        payer=payer,
        fee_code=FeeCode.ORGANIZATION_LICENSE,
        description=f"Annual license fee — {organization.legal_name}",
    )


def open_invoice_without_page(payer):
    """An invoice whose subject has no page of its own (a town row stands in for one), so
    paying it ends on the receipt."""
    from organizations.models import Town

    return services.invoice_open(
        subject=Town.objects.order_by("name")[next(_towns)],
        payer=payer,
        fee_code=FeeCode.ORGANIZATION_LICENSE,
        description="A fee whose subject has no page",
    )


def start(invoice, method=PaymentMethod.CARD, key=None):
    return services.payment_start(
        invoice=invoice, payer=invoice.payer, method=method, idempotency_key=key or uuid.uuid4()
    )


def pay_by_card(invoice, number=APPROVE):
    """Start an attempt and pay it on the test processor's hosted page; the signed webhook is
    delivered and processed before this returns. A refused card leaves the attempt pending."""
    return test_processor.pay_hosted(start(invoice, PaymentMethod.CARD), number=number)


def pay_by_ach(invoice, number=ACH_SETTLES):
    """A bank debit accepted on the hosted page (authorized); ``release_debits`` settles or
    returns it later."""
    return test_processor.pay_hosted(start(invoice, PaymentMethod.ACH), number=number)


def release_debits(*payments):
    """The bank's answer days later: settled, or returned with the test account's code."""
    test_processor.debits_release(checkout_ids=[payment.checkout_reference for payment in payments])
    test_processor.events_flush()
    for payment in payments:
        payment.refresh_from_db()


def ensure_opening_fees() -> None:
    """The fees migration 0002 loads. A transactional test (browser, concurrency) starts from a
    flushed database without them; serialized_rollback cannot bring them back under
    Playwright, whose greenlet sees its own database connection objects."""
    migration = import_module("payments.migrations.0002_initial_fees")
    for code, amount, note in migration.FEES:
        FeeSchedule.objects.get_or_create(
            code=code,
            effective_from=migration.date(2020, 1, 1),
            defaults={"amount": amount, "note": note},
        )


@pytest.fixture
def opening_fees(db):
    ensure_opening_fees()
