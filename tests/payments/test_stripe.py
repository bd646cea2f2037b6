"""The Stripe adapter through the real ``stripe`` library, against recorded responses and
webhook events signed with the adapter's own signing code (Stripe's scheme). No network."""

import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from payments import selectors, services
from payments.gateway import EventKind, InvalidWebhook
from payments.models import (
    EntryKind,
    InvoiceStatus,
    LedgerEntry,
    Payment,
    PaymentStatus,
    WebhookEvent,
)
from payments.signing import sign
from payments.stripe_gateway import StripeGateway

from . import stripe_recorded as recorded
from .factories import open_invoice

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_0123456789abcdef"


@pytest.fixture
def stripe_settings(settings):
    settings.PAYMENTS_GATEWAY = "stripe"
    settings.PAYMENTS_TEST_MODE = False
    settings.STRIPE_SECRET_KEY = "sk_test_51Recorded"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return settings


@pytest.fixture
def replay(monkeypatch):
    """Install a recorded-response client; returns a function that sets the responses."""
    client = recorded.RecordedStripe({})
    monkeypatch.setattr(StripeGateway, "http_client", client)

    def set_responses(responses):
        client.responses = responses
        return client

    return set_responses


@pytest.fixture
def invoice(make_user):
    return open_invoice(make_user("payer@example.com"))


def _started(invoice, method="card"):
    return services.payment_start(
        invoice=invoice, payer=invoice.payer, method=method, idempotency_key=uuid.uuid4()
    )


def _checkout(stripe_settings, replay, invoice, method="card"):
    payment = _started(invoice, method)
    client = replay(
        {
            ("POST", "/v1/checkout/sessions"): (200, recorded.session()),
            ("GET", f"/v1/payment_intents/{recorded.INTENT_ID}"): (
                200,
                recorded.PAYMENT_INTENT_CARD,
            ),
        }
    )
    url = services.payment_checkout(
        payment=payment,
        return_url="https://portal.example/r",
        cancel_url="https://portal.example/c",
    )
    payment.refresh_from_db()
    return payment, url, client


def _deliver(client_or_none, payload, *, timestamp=None, secret=SECRET):
    header = sign(payload, secret=secret, timestamp=timestamp)
    return services.webhook_receive(payload=payload, signature_header=header)


def _process_all():
    for record in WebhookEvent.objects.filter(processed_at=None):
        services.webhook_event_process(event_pk=record.pk)


def test_checkout_session_is_created_with_server_amounts_and_the_attempts_key(
    stripe_settings, replay, invoice
):
    payment, url, client = _checkout(stripe_settings, replay, invoice)
    assert url.startswith("https://checkout.stripe.com/")
    assert payment.checkout_reference == recorded.SESSION_ID
    request = client.requests[0]
    assert request["headers"]["Idempotency-Key"] == str(payment.idempotency_key)
    assert request["headers"]["Authorization"] == "Bearer sk_test_51Recorded"
    body = request["body"]
    assert body["payment_method_types[0]"] == ["card"]
    assert body["line_items[0][price_data][unit_amount]"] == ["30000"]
    assert body["line_items[1][price_data][unit_amount]"] == ["705"]  # 2.35% card fee
    assert body["line_items[1][price_data][product_data][name]"] == ["Card convenience fee"]
    assert body["client_reference_id"] == [str(payment.pk)]
    assert body["payment_intent_data[metadata][payment_id]"] == [str(payment.pk)]
    assert body["success_url"] == ["https://portal.example/r"]
    # asked again: no second request, the same page
    assert services.payment_checkout(payment=payment, return_url="x", cancel_url="y") == url
    assert len(client.requests) == 1


def test_ach_checkout_uses_us_bank_account_and_no_fee(stripe_settings, replay, invoice):
    payment, _, client = _checkout(stripe_settings, replay, invoice, method="ach")
    body = client.requests[0]["body"]
    assert body["payment_method_types[0]"] == ["us_bank_account"]
    assert "line_items[1][price_data][unit_amount]" not in body
    assert payment.convenience_fee == 0


def test_completed_card_session_settles_the_payment(stripe_settings, replay, invoice):
    payment, _, client = _checkout(stripe_settings, replay, invoice)
    payload = recorded.event(
        "checkout.session.completed",
        recorded.session(
            client_reference_id=str(payment.pk),
            payment_intent=recorded.INTENT_ID,
            payment_status="paid",
            status="complete",
            amount_total=30705,
        ),
    )
    _deliver(client, payload)
    _process_all()
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED
    assert payment.gateway_reference == recorded.INTENT_ID
    assert (payment.card_brand, payment.card_last4) == ("Visa", "4242")  # from the recorded PI
    assert invoice.status == InvoiceStatus.PAID
    assert payment.test_mode  # an sk_test_ key is Stripe's test mode, labelled as such


def test_ach_completed_then_async_succeeded_then_failed_in_any_order(
    stripe_settings, replay, invoice
):
    payment, _, client = _checkout(stripe_settings, replay, invoice, method="ach")
    base = {
        "client_reference_id": str(payment.pk),
        "payment_intent": recorded.INTENT_ID,
        "status": "complete",
        "amount_total": 30000,
        "payment_method_types": ["us_bank_account"],
    }
    succeeded = recorded.event(
        "checkout.session.async_payment_succeeded",
        recorded.session(**base, payment_status="paid"),
        event_id="evt_2",
    )
    completed = recorded.event(
        "checkout.session.completed",
        recorded.session(**base, payment_status="unpaid"),
        event_id="evt_1",
    )
    # the later event first: the payment is recorded and settled; the earlier one changes nothing
    _deliver(client, succeeded)
    _process_all()
    _deliver(client, completed)
    _process_all()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED
    assert LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).count() == 1


def test_async_payment_failed_is_a_return_with_the_fee_and_the_stripe_reason(
    stripe_settings, replay, invoice
):
    payment, _, client = _checkout(stripe_settings, replay, invoice, method="ach")
    client.responses[("GET", f"/v1/payment_intents/{recorded.INTENT_ID}")] = (
        200,
        recorded.PAYMENT_INTENT_ACH_FAILED,
    )
    base = {
        "client_reference_id": str(payment.pk),
        "payment_intent": recorded.INTENT_ID,
        "status": "complete",
        "amount_total": 30000,
    }
    # out of order: the failure arrives before the completion
    _deliver(
        client,
        recorded.event(
            "checkout.session.async_payment_failed",
            recorded.session(**base, payment_status="unpaid"),
            event_id="evt_fail",
        ),
    )
    _process_all()
    _deliver(
        client,
        recorded.event(
            "checkout.session.completed",
            recorded.session(**base, payment_status="unpaid"),
            event_id="evt_done",
        ),
    )
    _process_all()
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED and payment.return_code == "R01"
    assert payment.ach_last4 == "6789"
    assert invoice.status == InvoiceStatus.ON_HOLD
    assert selectors.invoice_balance(invoice) == Decimal("315.00")


def _settled_card_payment(stripe_settings, replay, invoice):
    payment, _, client = _checkout(stripe_settings, replay, invoice)
    _deliver(
        client,
        recorded.event(
            "checkout.session.completed",
            recorded.session(
                client_reference_id=str(payment.pk),
                payment_intent=recorded.INTENT_ID,
                payment_status="paid",
                status="complete",
            ),
            event_id="evt_completed",
        ),
    )
    _process_all()
    payment.refresh_from_db()
    return payment, client


def test_charge_refunded_event_records_the_refund_once(stripe_settings, replay, invoice):
    payment, client = _settled_card_payment(stripe_settings, replay, invoice)
    refunded = recorded.event(
        "charge.refunded",
        recorded.charge(amount_refunded=30000, refunded=False),
        event_id="evt_refund",
    )
    _deliver(client, refunded)
    _deliver(client, refunded)  # redelivered
    _process_all()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert WebhookEvent.objects.filter(event_id="evt_refund").count() == 1


def test_dispute_is_a_chargeback_return(stripe_settings, replay, invoice):
    payment, client = _settled_card_payment(stripe_settings, replay, invoice)
    _deliver(
        client, recorded.event("charge.dispute.created", recorded.dispute(), event_id="evt_dp")
    )
    _process_all()
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED and payment.return_code == "chargeback"
    assert invoice.status == InvoiceStatus.ON_HOLD


def test_refund_through_the_api_passes_the_key_and_the_amount(
    stripe_settings, replay, invoice, make_user
):
    payment, client = _settled_card_payment(stripe_settings, replay, invoice)
    client.responses[("POST", "/v1/refunds")] = (200, recorded.REFUND)
    services.payment_refund(payment=payment, actor=make_user(role="supervisor"), reason="Dup")
    request = client.requests[-1]
    assert request["path"] == "/v1/refunds"
    assert request["body"]["payment_intent"] == [recorded.INTENT_ID]
    assert request["body"]["amount"] == ["30000"]  # the card fee is not refunded
    assert request["headers"]["Idempotency-Key"] == f"refund-{payment.idempotency_key}"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED


def test_a_new_attempt_expires_the_open_session_or_waits_if_it_was_paid(
    stripe_settings, replay, invoice
):
    from core.errors import DomainError

    first, _, client = _checkout(stripe_settings, replay, invoice)
    client.responses[("POST", f"/v1/checkout/sessions/{recorded.SESSION_ID}/expire")] = (
        400,
        recorded.EXPIRE_COMPLETE_ERROR,
    )
    client.responses[("GET", f"/v1/checkout/sessions/{recorded.SESSION_ID}")] = (
        200,
        recorded.session(status="complete", payment_status="paid"),
    )
    with pytest.raises(DomainError, match="confirmation is on its way"):
        _started(invoice)
    client.responses[("POST", f"/v1/checkout/sessions/{recorded.SESSION_ID}/expire")] = (
        200,
        recorded.session(status="expired"),
    )
    second = _started(invoice)
    first.refresh_from_db()
    assert first.status == PaymentStatus.FAILED and second.status == PaymentStatus.PENDING


def test_settled_transactions_read_balance_transactions_of_the_day(stripe_settings, replay):
    client = replay({("GET", "/v1/balance_transactions"): (200, recorded.BALANCE_TRANSACTIONS)})
    start = datetime(2026, 1, 1, 5, tzinfo=UTC)
    end = datetime(2026, 1, 2, 5, tzinfo=UTC)
    settled = StripeGateway().settled_transactions(start=start, end=end)
    assert [(t.reference, t.amount) for t in settled] == [
        (recorded.INTENT_ID, Decimal("127.94")),
        ("pi_not_ours", Decimal("300.00")),
    ]
    query = client.requests[0]["query"]
    assert query["created[gte]"] == [str(int(start.timestamp()))]
    assert query["expand[0]"] == ["data.source"]


@pytest.mark.parametrize(
    ("case", "payload_change"),
    [
        ("bad signature", {"secret": "whsec_wrong"}),
        ("old timestamp", {"timestamp": int(time.time()) - 3600}),
    ],
)
def test_bad_signature_or_old_timestamp_is_refused_and_changes_nothing(
    stripe_settings, replay, invoice, client, case, payload_change
):
    payment, _, _ = _checkout(stripe_settings, replay, invoice)
    payload = recorded.event(
        "checkout.session.completed",
        recorded.session(
            client_reference_id=str(payment.pk), payment_intent="pi_x", payment_status="paid"
        ),
    )
    header = sign(
        payload,
        secret=payload_change.get("secret", SECRET),
        timestamp=payload_change.get("timestamp"),
    )
    response = client.post(
        reverse("payments:webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_unknown_event_type_is_refused(stripe_settings, client):
    payload = recorded.event("customer.created", {"id": "cus_1", "object": "customer"})
    response = client.post(
        reverse("payments:webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret=SECRET),
    )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_the_webhook_endpoint_acknowledges_and_processes_on_commit(
    stripe_settings, replay, invoice, client, django_capture_on_commit_callbacks
):
    payment, _, _ = _checkout(stripe_settings, replay, invoice)
    payload = recorded.event(
        "checkout.session.completed",
        recorded.session(
            client_reference_id=str(payment.pk),
            payment_intent=recorded.INTENT_ID,
            payment_status="paid",
            status="complete",
        ),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("payments:webhook"),
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign(payload, secret=SECRET),
        )
    assert response.status_code == 200
    assert len(callbacks) == 1  # the processing task, enqueued on commit
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING  # nothing done inside the request
    callbacks[0]()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SETTLED


def test_the_adapters_signatures_verify_with_stripes_own_library():
    import stripe

    payload = recorded.event("checkout.session.expired", recorded.session(status="expired"))
    header = sign(payload, secret=SECRET)
    assert stripe.WebhookSignature.verify_header(payload.decode(), header, SECRET, tolerance=300)
    event = StripeGateway.__new__(StripeGateway)
    event.webhook_secret = SECRET
    parsed = event.parse_webhook(payload=payload, signature_header=header)
    assert parsed.kind == EventKind.EXPIRED
    with pytest.raises(InvalidWebhook):
        event.parse_webhook(payload=payload + b" ", signature_header=header)


def test_an_event_for_no_known_payment_is_kept_for_reconciliation(stripe_settings, client):
    payload = recorded.event(
        "checkout.session.completed",
        recorded.session(
            client_reference_id=None, payment_intent="pi_unknown", payment_status="paid"
        ),
    )
    _deliver(None, payload)
    _process_all()
    record = WebhookEvent.objects.get()
    assert record.processed_at and "No payment matches" in record.outcome
    assert not Payment.objects.exists()
