"""A renewal moves to "paid" only when the processor's signed confirmation arrives, never when
the payer merely comes back from the processor's page."""

import uuid

import pytest
from django.urls import reverse

from accounts import roles
from payments import services as payments
from payments.selectors import invoice_for
from providers import services
from providers.models import RenewalStatus
from test_processor import services as test_processor
from tests.providers.factories import filled_application, make_certification

from .factories import APPROVE

pytestmark = pytest.mark.django_db


def test_the_renewal_is_paid_only_once_the_signed_confirmation_arrives(
    client, make_user, django_capture_on_commit_callbacks
):
    applicant = make_user("renewer@example.com", role=roles.PROVIDER)
    application = filled_application(make_certification(user=applicant), applicant)
    services.renewal_request_fee(application=application, actor=applicant)
    payment = payments.payment_start(
        invoice=invoice_for(subject=application),
        payer=applicant,
        method="card",
        idempotency_key=uuid.uuid4(),
    )
    payments.payment_checkout(payment=payment, return_url="/r/", cancel_url="/c/")
    payment.refresh_from_db()
    # Paid on the processor's page; the webhook is still on its way.
    with django_capture_on_commit_callbacks(execute=False):
        test_processor.checkout_pay_card(checkout_id=payment.checkout_reference, number=APPROVE)
    client.force_login(applicant)
    back = client.get(reverse("payments:attempt", args=[payment.pk]))
    assert back.status_code == 200 and b"processing" in back.content
    application.refresh_from_db()
    assert application.status == RenewalStatus.FEE_DUE
    # Someone else opening the return URL sees nothing of it.
    client.force_login(make_user("nosy@example.com", role=roles.PROVIDER))
    assert client.get(reverse("payments:attempt", args=[payment.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        test_processor.events_flush()  # the signed webhook arrives
    application.refresh_from_db()
    assert application.status == RenewalStatus.PAID
