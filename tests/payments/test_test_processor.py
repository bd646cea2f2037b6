"""The test processor's webhooks: signed like Stripe's, verified by the portal, acted on once."""

import json

import pytest
from django.urls import reverse

from payments import services
from payments.gateway import InvalidWebhook
from payments.models import LedgerEntry, PaymentStatus, WebhookEvent
from payments.signing import sign, verify
from test_processor import services as test_processor
from test_processor.models import TestEvent

from .factories import APPROVE, open_invoice, pay_by_card, start

pytestmark = pytest.mark.django_db


def _paid_event(make_user):
    payment = start(open_invoice(make_user("payer@example.com")))
    services.payment_checkout(payment=payment, return_url="/r/", cancel_url="/c/")
    payment.refresh_from_db()
    test_processor.checkout_pay_card(checkout_id=payment.checkout_reference, number=APPROVE)
    return payment, TestEvent.objects.get()


def test_signature_verification_rejects_tampering_and_old_timestamps():
    payload = b'{"id": "evt_1"}'
    header = sign(payload, secret="s", timestamp=1_000_000)
    assert verify(payload, header, secret="s", now=1_000_100) == 1_000_000
    for bad_payload, bad_header, now in [
        (b'{"id": "evt_2"}', header, 1_000_100),
        (payload, header.replace("v1=", "v1=0"), 1_000_100),
        (payload, header, 1_000_000 + 301),
        (payload, "garbage", 1_000_100),
    ]:
        with pytest.raises(InvalidWebhook):
            verify(bad_payload, bad_header, secret="s", now=now)


def test_the_test_processors_webhook_over_http_is_verified_and_acknowledged(client, make_user):
    payment, event = _paid_event(make_user)
    payload = event.payload.encode()
    bad = client.post(
        reverse("payments:webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret="not-the-secret"),
    )
    assert bad.status_code == 400 and not WebhookEvent.objects.exists()
    good = client.post(
        reverse("payments:webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret=test_processor.webhook_secret()),
    )
    assert good.status_code == 200
    assert WebhookEvent.objects.get().event_id == event.pk


def test_a_replayed_event_is_acted_on_once(make_user):
    payment, event = _paid_event(make_user)
    for _ in range(3):
        test_processor.event_deliver(event_id=event.pk)
    for record in WebhookEvent.objects.all():
        services.webhook_event_process(event_pk=record.pk)
        services.webhook_event_process(event_pk=record.pk)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED
    assert WebhookEvent.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_a_replayed_event_with_a_new_signature_but_an_old_body_is_refused(make_user):
    """An attacker who captured a delivery cannot re-sign it without the secret; the old
    signature is refused once the tolerance has passed."""
    payment, event = _paid_event(make_user)
    payload = event.payload.encode()
    old = sign(payload, secret=test_processor.webhook_secret(), timestamp=1_000_000)
    with pytest.raises(InvalidWebhook):
        services.webhook_receive(payload=payload, signature_header=old)
    assert not WebhookEvent.objects.exists()


def test_a_refund_event_before_the_payment_event_ends_refunded_once(make_user):
    payment = pay_by_card(open_invoice(make_user("payer@example.com")))
    # the same story delivered in reverse: build a fresh payment whose events arrive refund-first
    second = start(open_invoice(make_user("other@example.com")))
    services.payment_checkout(payment=second, return_url="/r/", cancel_url="/c/")
    second.refresh_from_db()
    test_processor.checkout_pay_card(checkout_id=second.checkout_reference, number=APPROVE)
    checkout = second.checkout_reference
    reference = TestEvent.objects.get(checkout_id=checkout).checkout.payment_reference
    test_processor.refund(reference=reference, amount=second.amount, idempotency_key="r1")
    completed, refunded = TestEvent.objects.filter(checkout_id=checkout).order_by("created_at")
    assert json.loads(refunded.payload)["type"] == "charge.refunded"
    test_processor.event_deliver(event_id=refunded.pk)
    test_processor.event_deliver(event_id=completed.pk)
    for record in WebhookEvent.objects.filter(processed_at=None):
        services.webhook_event_process(event_pk=record.pk)
    second.refresh_from_db()
    assert second.status == PaymentStatus.REFUNDED
    assert LedgerEntry.objects.filter(payment=second, kind="payment").count() == 1
    assert LedgerEntry.objects.filter(payment=second, kind="refund").count() == 1
    assert payment.status == PaymentStatus.SETTLED


def test_an_expired_checkout_fails_the_attempt_and_the_fee_stays_payable(make_user):
    invoice = open_invoice(make_user("payer@example.com"))
    payment = start(invoice)
    services.payment_checkout(payment=payment, return_url="/r/", cancel_url="/c/")
    payment.refresh_from_db()
    test_processor.checkout_expire(checkout_id=payment.checkout_reference)
    test_processor.events_flush()
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert (
        payment.status == PaymentStatus.FAILED and "nothing was charged" in payment.failure_message
    )
    assert invoice.status == "open"
    assert pay_by_card(invoice).status == PaymentStatus.SETTLED


def test_the_dashboard_releases_debits_and_opens_disputes(staff_client, make_user):
    from .factories import pay_by_ach

    ach = pay_by_ach(open_invoice(make_user("payer@example.com")))
    card = pay_by_card(open_invoice(make_user("payer2@example.com")))
    client = staff_client("supervisor")
    page = client.get(reverse("test_processor:dashboard"))
    assert page.status_code == 200 and b"TEST PAYMENT PROCESSOR" in page.content
    client.post(reverse("test_processor:release-debits"))
    client.post(reverse("test_processor:open-dispute", args=[card.checkout_reference]))
    test_processor.events_flush()  # the on-commit deliveries did not run inside the test
    ach.refresh_from_db()
    card.refresh_from_db()
    assert ach.status == PaymentStatus.SETTLED
    assert card.status == PaymentStatus.RETURNED and card.return_code == "chargeback"
