"""The portal's adapter for the fake processor (TEST MODE): the same hosted-payment shape as
the Stripe adapter, with the fake processor's page under /test-processor/."""

from django.urls import reverse

from payments.gateway import (
    Checkout,
    GatewayError,
    GatewayResult,
    Outcome,
    PaymentDetails,
    PaymentGateway,
    SettledTransaction,
)
from payments.signing import verify
from payments.stripe_gateway import event_from_payload

from . import services
from .models import TestCheckout


class TestProcessorGateway(PaymentGateway):
    __test__ = False  # not a pytest test class, whatever its name

    name = "test"
    test_mode = True
    label = "TEST MODE — no real money moves"

    def create_checkout(self, **request):
        # The base class's keyword arguments, as they are: the fake processor keeps them all.
        checkout = services.checkout_create(**request)
        return Checkout(
            reference=checkout.pk, url=reverse("test_processor:checkout", args=[checkout.pk])
        )

    def cancel_checkout(self, *, reference):
        services.checkout_expire(checkout_id=reference)

    def parse_webhook(self, *, payload, signature_header):
        verify(payload, signature_header, secret=services.webhook_secret())
        return event_from_payload(payload)

    def payment_details(self, *, reference):
        checkout = TestCheckout.objects.filter(payment_reference=reference).first()
        if checkout is None:
            return PaymentDetails()
        return PaymentDetails(
            card_brand=checkout.card_brand,
            last4=checkout.last4,
            return_code=checkout.later_return_code if checkout.debit_failed else "",
        )

    def refund(self, *, reference, amount, idempotency_key):
        try:
            refund_id = services.refund(
                reference=reference, amount=amount, idempotency_key=idempotency_key
            )
        except GatewayError as error:
            return GatewayResult(outcome=Outcome.DECLINED, message=error.message)
        return GatewayResult(outcome=Outcome.APPROVED, reference=refund_id)

    def settled_transactions(self, *, start, end):
        return [
            SettledTransaction(reference=checkout.payment_reference, amount=checkout.settled_amount)
            for checkout in TestCheckout.objects.filter(settled_at__gte=start, settled_at__lt=end)
        ]
