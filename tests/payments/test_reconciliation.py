"""The daily reconciliation: the processor's settled transactions against the ledger."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from payments import services, tasks
from payments.models import MismatchKind, Payment, ReconciliationRun
from test_processor.models import TestCheckout

from .factories import open_invoice, pay_by_card, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(make_user):
    return make_user("finance@example.com", role="finance")


def _kinds(run):
    return sorted((m.kind, m.reference) for m in run.mismatches.all())


def test_a_day_that_matches_has_no_mismatch(make_user):
    payer = make_user("payer@example.com")
    pay_by_card(open_invoice(payer))
    pay_by_card(open_invoice(payer))
    run = services.reconciliation_run(day=timezone.localdate())
    assert run.mismatches.count() == 0
    assert (run.processor_count, run.ledger_count) == (2, 2)
    assert run.processor_total == run.ledger_total == Decimal("614.10")


def test_each_kind_of_mismatch_is_found_listed_and_emailed_once(
    make_user, finance, django_capture_on_commit_callbacks, mailoutbox
):
    payer = make_user("payer@example.com")
    # 2. in the ledger, the processor does not know it
    ghost = pay_by_card(open_invoice(payer))
    TestCheckout.objects.filter(payment_reference=ghost.gateway_reference).update(settled_at=None)
    # 3. different amounts
    differs = pay_by_card(open_invoice(payer))
    TestCheckout.objects.filter(payment_reference=differs.gateway_reference).update(
        settled_amount=Decimal("1.00")
    )
    # 1. settled at the processor, its webhook never arrived: not in the ledger (made last: the
    # helpers above deliver every pending event)
    lost = start(open_invoice(payer))
    services.payment_checkout(payment=lost, return_url="/r/", cancel_url="/c/")
    lost.refresh_from_db()
    from test_processor import services as test_processor

    test_processor.checkout_pay_card(checkout_id=lost.checkout_reference, number="4242424242424242")
    # (its event is left undelivered)
    lost_reference = TestCheckout.objects.get(pk=lost.checkout_reference).payment_reference

    with django_capture_on_commit_callbacks(execute=True):
        run = services.reconciliation_run(day=timezone.localdate())
    assert _kinds(run) == sorted(
        [
            (MismatchKind.SETTLED_NOT_RECORDED, lost_reference),
            (MismatchKind.RECORDED_NOT_SETTLED, ghost.gateway_reference),
            (MismatchKind.AMOUNT_DIFFERS, differs.gateway_reference),
        ]
    )
    amounts = run.mismatches.get(kind=MismatchKind.AMOUNT_DIFFERS)
    assert (amounts.processor_amount, amounts.ledger_amount) == (Decimal("1.00"), differs.total)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["finance@example.com"]
    assert "3 mismatch(es)" in mailoutbox[0].subject
    assert lost_reference in mailoutbox[0].body

    # a re-run: the same run row, the same findings, no second email
    with django_capture_on_commit_callbacks(execute=True):
        again = services.reconciliation_run(day=timezone.localdate())
    assert again.pk == run.pk and _kinds(again) == _kinds(run)
    assert ReconciliationRun.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_daily_task_reconciles_yesterday_and_the_beat_entry_exists(make_user):
    from django_celery_beat.models import PeriodicTask

    assert tasks.reconcile_payments() == 0
    run = ReconciliationRun.objects.get()
    assert run.day == timezone.localdate() - timedelta(days=1)
    entry = PeriodicTask.objects.get(task="payments.tasks.reconcile_payments")
    assert entry.enabled and entry.crontab.hour == "5"


def test_staff_see_the_mismatches_in_the_admin_and_can_rerun(staff_client, make_user):
    payer = make_user("payer@example.com")
    ghost = pay_by_card(open_invoice(payer))
    TestCheckout.objects.update(settled_at=None)
    run = services.reconciliation_run(day=timezone.localdate())
    client = staff_client("finance")
    listing = client.get(reverse("admin:payments_reconciliationrun_changelist"))
    assert listing.status_code == 200
    detail = client.get(reverse("admin:payments_reconciliationrun_change", args=[run.pk]))
    body = detail.content.decode()
    assert ghost.gateway_reference in body and "not settled by the processor" in body
    TestCheckout.objects.update(settled_at=timezone.now())  # the processor caught up
    client.post(
        reverse("admin:payments_reconciliationrun_changelist"),
        {"action": "rerun", "_selected_action": [run.pk]},
    )
    assert run.mismatches.count() == 0
    assert Payment.objects.count() == 1
