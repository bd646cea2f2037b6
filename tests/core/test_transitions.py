"""The shared transition recipe: checks the table, saves once, and the history row is the audit."""

import pytest
from django.db import transaction

from core.errors import DomainError
from core.transitions import locked, status_timeline, transition, transition_once
from organizations.models import Organization
from payments.models import Invoice, InvoiceStatus
from payments.services import INVOICE_TRANSITIONS, invoice_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(make_user):
    payer = make_user("payer@example.com")
    organization = Organization.objects.create(
        legal_name="Town Ambulance",
        number="AMB-0001",
        kind="ambulance",
        ownership="commercial",
        credential_type="license",
        email="office@example.com",
    )
    return invoice_open(
        subject=organization, payer=payer, fee_code="organization_license", description="Fee"
    )


def test_transition_writes_one_history_row_with_who_and_why(invoice, make_user):
    reviewer = make_user("staff@example.com", staff=True)
    before = invoice.history.count()
    with transaction.atomic():
        transition(
            locked(invoice),
            allowed=INVOICE_TRANSITIONS,
            target=InvoiceStatus.PAID,
            actor=reviewer,
            reason="Paid at the counter",
        )
    assert invoice.history.count() == before + 1
    latest = invoice.history.first()
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "Paid at the counter"
    timeline = status_timeline(invoice)
    assert [(entry.old, entry.new) for entry in timeline] == [(None, "open"), ("open", "paid")]
    assert timeline[-1].actor == reviewer


def test_refused_transition_says_so_and_changes_nothing(invoice, make_user):
    actor = make_user("staff@example.com", staff=True)
    invoice.status = InvoiceStatus.VOID
    invoice.save()
    with pytest.raises(DomainError, match="from Void to Paid"):
        transition(invoice, allowed=INVOICE_TRANSITIONS, target=InvoiceStatus.PAID, actor=actor)
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.VOID


def test_transition_once_moves_once_and_writes_one_history_row(invoice, make_user):
    reviewer = make_user("staff2@example.com", staff=True)
    before = invoice.history.count()
    results = []
    for _ in range(2):  # a double submit
        with transaction.atomic():
            results.append(
                transition_once(
                    invoice,
                    allowed=INVOICE_TRANSITIONS,
                    target=InvoiceStatus.PAID,
                    actor=reviewer,
                    reason="Paid at the counter",
                )
            )
    assert [moved for _, moved in results] == [True, False]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.history.count() == before + 1
    assert invoice.history.first().history_change_reason == "Paid at the counter"


def test_transition_once_still_refuses_a_move_the_table_forbids(invoice, make_user):
    with transaction.atomic():
        invoice, _ = transition_once(
            invoice,
            allowed=INVOICE_TRANSITIONS,
            target=InvoiceStatus.VOID,
            actor=make_user("staff3@example.com", staff=True),
        )
    with pytest.raises(DomainError), transaction.atomic():
        transition_once(
            invoice,
            allowed=INVOICE_TRANSITIONS,
            target=InvoiceStatus.PAID,
            actor=None,
        )


def test_transition_once_check_sees_the_locked_row_and_may_refuse(invoice, make_user):
    reviewer = make_user("staff3@example.com", staff=True)
    before = invoice.history.count()
    seen = []

    def refuse(row):
        seen.append(row.status)
        raise DomainError("Not today.")

    with pytest.raises(DomainError, match="Not today"), transaction.atomic():
        transition_once(
            invoice,
            allowed=INVOICE_TRANSITIONS,
            target=InvoiceStatus.PAID,
            actor=reviewer,
            check=refuse,
        )
    assert seen == [InvoiceStatus.OPEN]
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.OPEN
    assert invoice.history.count() == before


def test_transition_once_does_not_check_a_row_already_there(invoice, make_user):
    reviewer = make_user("staff4@example.com", staff=True)
    Invoice.objects.filter(pk=invoice.pk).update(status=InvoiceStatus.PAID)
    with transaction.atomic():
        _, moved = transition_once(
            invoice,
            allowed=INVOICE_TRANSITIONS,
            target=InvoiceStatus.PAID,
            actor=reviewer,
            check=lambda row: pytest.fail("checked a row that was already there"),
        )
    assert moved is False
