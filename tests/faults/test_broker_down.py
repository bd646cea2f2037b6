"""Redis down: the broker and the cache are this test's own redis-server (port 6391), stopped
and started here. A card payment made while it is down succeeds at once and its receipt goes
out after Redis is back; pages that need only the database keep working; /healthz says 503 and
names the broker."""

import re
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from core import outbox
from core.models import OutboxMessage, OutboxStatus
from payments.models import InvoiceStatus, Payment, PaymentStatus
from tests.payments.factories import APPROVE, ensure_opening_fees, open_invoice_without_page

from .conftest import celery_on, needs_postgresql_and_redis, wait_for

pytestmark = [
    pytest.mark.faults,
    needs_postgresql_and_redis,
    # serialized_rollback: start from the migrated data (fees, towns, thresholds) even after
    # other transactional tests flushed it
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PORT = 6391
CARD = {
    "name": "Pat Payer",
    "number": APPROVE,
    "expiry": "12/99",
    "cvc": "123",
    "postal_code": "06106",
}


def _pay_on_the_hosted_page(client, invoice):
    """The payer's two requests: the portal's pay form (which sends them to the processor's
    hosted page), then the test processor's page, whose signed webhook goes out on commit."""
    page = client.get(reverse("payments:pay", kwargs={"invoice_id": invoice.pk}))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)
    started = client.post(
        reverse("payments:pay", kwargs={"invoice_id": invoice.pk}),
        {"method": "card", "idempotency_key": key},
    )
    return client.post(started.url, CARD)


def test_a_card_payment_while_the_broker_is_down_succeeds_and_its_receipt_follows(
    client, make_user, extra_redis, mailoutbox
):
    from celery.contrib.testing.worker import start_worker

    ensure_opening_fees()
    redis = extra_redis(PORT)  # not started yet: the broker is down
    payer = make_user("payer@example.com")
    invoice = open_invoice_without_page(payer)
    client.force_login(payer)
    client.raise_request_exception = False  # as in production: a failure would be a 500 page

    with celery_on(redis.url) as app:
        started = time.monotonic()
        response = _pay_on_the_hosted_page(client, invoice)
        elapsed = time.monotonic() - started
        # The payer is back at the portal's "processing" page at once; the processor's signed
        # confirmation waits in the outbox, recorded with the attempt. Nothing is lost or sent.
        payment = Payment.objects.get()
        assert response.status_code == 302
        assert response.url.endswith(reverse("payments:attempt", args=[payment.pk]))
        assert elapsed < 15, f"the request waited {elapsed:.1f} s on the dead broker"
        waiting = OutboxMessage.objects.get(task="test_processor.tasks.deliver_event")
        assert waiting.status == OutboxStatus.PENDING and waiting.last_error
        invoice.refresh_from_db()
        assert invoice.status == InvoiceStatus.OPEN  # paid only once the confirmation arrives
        assert mailoutbox == []
        # The next request works too: the process's Celery app is not broken.
        processing = client.get(reverse("payments:attempt", args=[payment.pk]))
        assert processing.status_code == 200 and b"processing" in processing.content

        redis.start()  # the broker is back
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            # What beat's relay_outbox does every OUTBOX_RELAY_SECONDS: the confirmation, then
            # the work it starts (processing the webhook, the receipt) reach the worker.
            wait_for(
                lambda: outbox.relay_pending() is not None and len(mailoutbox) == 1,
                timeout=90,
                interval=1.0,
                what="the confirmation processed and the receipt emailed",
            )
        payment.refresh_from_db()
        invoice.refresh_from_db()
        assert payment.status == PaymentStatus.SETTLED
        assert invoice.status == InvoiceStatus.PAID
        assert mailoutbox[0].to == ["payer@example.com"]
        assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
        # Relaying again sends nothing twice.
        assert outbox.relay_pending()["sent"] == 0
        assert len(mailoutbox) == 1


def test_with_redis_down_database_pages_work_throttles_let_through_and_healthz_names_the_broker(
    client, extra_redis
):
    redis = extra_redis(PORT + 1)  # never started: cache and broker both down
    cache = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    with override_settings(CACHES=cache), celery_on(redis.url):
        assert client.get("/").status_code == 200
        assert client.get(reverse("providers:verify")).status_code == 200
        # The throttled API answers (fail open: nothing can be counted without Redis).
        api = client.get("/api/v1/verify/NOPE-0000/")
        assert api.status_code == 404
        health = client.get("/healthz")
        assert health.status_code == 503
        body = health.json()
        assert body["broker"]["ok"] is False and body["cache"]["ok"] is False
        assert body["database"]["ok"] is True

        redis.start()  # back: everything answers again, no restart
        wait_for(lambda: client.get("/healthz").status_code == 200, timeout=20, what="healthz")
