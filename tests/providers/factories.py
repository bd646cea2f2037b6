"""Factories and builders for provider tests."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from providers import rules, services
from providers.models import CEDelivery, RenewalStep
from providers.rules import Level

_sequence = count(1)
SSN = "123-45-6789"


def make_provider(*, first_name="Jane", last_name="Doe", ssn=SSN, user=None, **fields):
    fields.setdefault("date_of_birth", timezone.localdate().replace(year=1990))
    provider = services.provider_create(
        first_name=first_name,
        last_name=last_name,
        ssn=ssn,
        address_line1="1 Main St",
        city="Hartford",
        state="CT",
        postal_code="06106",
        **fields,
    )
    if user is not None:
        provider.user = user
        provider.save(update_fields=["user"])
    return provider


def make_certification(*, provider=None, level=Level.EMT, expires_in=60, **provider_fields):
    provider = provider or make_provider(**provider_fields)
    expires_on = timezone.localdate() + timedelta(days=expires_in)
    return services.certification_create(
        provider=provider,
        level=level,
        sequence=next(_sequence),
        issued_on=rules.add_years(expires_on, -rules.CYCLE_YEARS[level]),
        expires_on=expires_on,
    )


def record_ce(provider, *, hours, component="national", days_ago=10, actor=None, **extra):
    extra.setdefault("delivery", CEDelivery.LIVE)
    return services.ce_record_add(
        provider=provider,
        actor=actor,
        course_title=extra.pop("course_title", "Airway refresher"),
        completed_on=timezone.localdate() - timedelta(days=days_ago),
        hours=Decimal(hours),
        component=component,
        **extra,
    )


def complete_ce(certification):
    """Record exactly the hours the requirement asks, by component."""
    from providers.selectors import ce_progress

    for row in ce_progress(certification).components:
        hours = row.required
        while hours > 0:
            chunk = min(hours, Decimal(rules.MAX_CE_HOURS_PER_COURSE))
            record_ce(certification.provider, hours=chunk, component=row.component)
            hours -= chunk


def filled_application(certification, user):
    """A draft with every step done (CE complete), ready for the fee."""
    complete_ce(certification)
    application = services.renewal_start(certification=certification, user=user)
    provider = certification.provider
    for step, data in [
        (RenewalStep.NREMT, {"nremt_number": "M1234567", "nremt_attest": True}),
        (
            RenewalStep.DETAILS,
            {
                "email": user.email,
                "phone": "",
                "address_line1": "1 Main St",
                "city": "Hartford",
                "state": "CT",
                "postal_code": "06106",
            },
        ),
        (RenewalStep.CE, {"ce": True}),
        (RenewalStep.ATTEST, {"attestation_name": provider.full_name}),
    ]:
        application = services.renewal_save_step(
            application=application, actor=user, step=step, data=data
        )
    return application


def pay(application, actor, *, method="card", number=None):
    """Pay the renewal's balance through the test processor's hosted page, as the pay page
    sends the payer there; the signed webhook is delivered and processed before this returns.
    The invoice_paid signal runs on commit, so callers capture on-commit callbacks (or run
    outside a test transaction). Returns the payment."""
    import uuid

    from payments import services as payments
    from payments.selectors import invoice_for
    from test_processor.services import pay_hosted
    from tests.payments.factories import ACH_SETTLES, APPROVE

    payment = payments.payment_start(
        invoice=invoice_for(subject=application),
        payer=actor,
        method=method,
        idempotency_key=uuid.uuid4(),
    )
    return pay_hosted(payment, number=number or (APPROVE if method == "card" else ACH_SETTLES))
