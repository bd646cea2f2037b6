"""Demo providers: every level and every certification status, renewal applications in every
state (each walked through the real services, so their history reads true), and the demo user
provider@example.com linked to an EMT whose certification expires soon. ``providers=N`` adds N
generated providers with bulk inserts (state scale). Numbers, dates of birth and SSNs of the
demo people are listed in docs/providers.md."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import roles
from accounts.demo import DEMO_PASSWORD, demo_user, ensure_user

from . import rules, services
from .models import (
    CEDelivery,
    Certification,
    IncompleteReason,
    Provider,
    RenewalApplication,
    RenewalStatus,
    RenewalStep,
)
from .rules import Level

NEWCOMER_EMAIL = "provider@example.com"

# number, first, last, level, date of birth, SSN, expires in (days from today), discipline
PEOPLE = [
    ("E100001", "Pat", "Provider", Level.EMT, date(1990, 4, 12), "123-45-6789", 45, ""),
    ("R100002", "Robin", "Responder", Level.EMR, date(1995, 1, 3), "111-22-3333", 400, ""),
    ("A100003", "Alex", "Advanced", Level.AEMT, date(1988, 7, 21), "222-33-4444", 30, ""),
    ("P100004", "Parker", "Medic", Level.PARAMEDIC, date(1982, 11, 5), "333-44-5555", 200, ""),
    ("E100005", "Grace", "Period", Level.EMT, date(1979, 2, 14), "444-55-6666", -30, ""),
    ("E100006", "Lee", "Lapsed", Level.EMT, date(1975, 9, 9), "555-66-7777", -200, ""),
    ("A100007", "Eve", "Expired", Level.AEMT, date(1970, 3, 30), "666-77-8888", -900, ""),
    (
        "P100008",
        "Sam",
        "Suspended",
        Level.PARAMEDIC,
        date(1985, 6, 1),
        "777-88-9999",
        300,
        "suspended",
    ),
    ("E100009", "Rae", "Revoked", Level.EMT, date(1992, 12, 24), "888-99-0000", 300, "revoked"),
    (
        "R100010",
        "Sue",
        "Surrendered",
        Level.EMR,
        date(1999, 8, 8),
        "999-00-1111",
        100,
        "surrendered",
    ),
]

# One applicant per application state: number, first, last, level, DOB, SSN, target status.
APPLICANTS = [
    (
        rules.certification_number(level, 200000 + index),
        "Demo",
        status.value.replace("_", " ").title().replace(" ", ""),
        level,
        date(1980 + index, 1 + index % 12, 10),
        f"900-00-{1000 + index:04d}",
        status,
    )
    for index, status in enumerate(RenewalStatus, start=1)
    for level in [Level.PARAMEDIC if index % 3 == 0 else Level.EMT]
]


def _ensure_person(number, first, last, level, birth, ssn, expires_in, *, today):
    certification = Certification.objects.filter(number=number).select_related("provider").first()
    if certification:
        return certification, False
    provider = services.provider_create(
        first_name=first,
        last_name=last,
        date_of_birth=birth,
        ssn=ssn,
        email=f"{first}.{last}@example.com".lower(),
        address_line1="410 Capitol Avenue",
        city="Hartford",
        state="CT",
        postal_code="06134",
    )
    expires_on = today + timedelta(days=expires_in)
    certification = services.certification_create(
        provider=provider,
        level=level,
        number=number,
        issued_on=rules.add_years(expires_on, -rules.CYCLE_YEARS[level]),
        expires_on=expires_on,
    )
    return certification, True


def _complete_ce(certification, *, fraction=Decimal(1), actor=None):
    """Record CE for the certification's cycle: the whole requirement, or a fraction of it."""
    from .selectors import ce_progress

    progress = ce_progress(certification)
    day = min(timezone.localdate(), certification.expires_on) - timedelta(days=20)
    for row in progress.components:
        hours = (row.required * fraction).quantize(Decimal("0.25"))
        while hours > 0:
            chunk = min(hours, Decimal(rules.MAX_CE_HOURS_PER_COURSE))
            services.ce_record_add(
                provider=certification.provider,
                actor=actor,
                course_title=f"{row.label} refresher ({certification.get_level_display()})",
                completed_on=day,
                hours=chunk,
                component=row.component,
                delivery=CEDelivery.DISTRIBUTIVE,
                approval_number=f"F3-{day.year}-{10000 + int(chunk * 4):05d}",
            )
            hours -= chunk


def _pay_fee(application, *, applicant, method="card"):
    """Pay the renewal fee through the payments app's test-mode gateway, as the pay page does:
    by the approving test card, or from the ACH test account whose debit later comes back R01
    (docs/payments.md)."""
    import uuid

    from payments import services as payments
    from payments.gateway import BankAccount, CardDetails, TestModeGateway
    from payments.selectors import invoice_for

    payment = payments.payment_start(
        invoice=invoice_for(subject=application),
        payer=applicant,
        method=method,
        idempotency_key=uuid.uuid4(),
    )
    name = application.certification.provider.full_name
    if method == "card":
        card = CardDetails(
            number="4242424242424242",
            exp_month=12,
            exp_year=timezone.localdate().year + 3,
            cvc="123",
            name=name,
            postal_code="06106",
        )
        return payments.payment_pay_by_card(payment=payment, card=card, actor=applicant)
    account = BankAccount(
        routing_number=TestModeGateway.TEST_ROUTING_NUMBER,
        account_number="000222222227",
        account_type="checking",
        name=name,
    )
    return payments.payment_pay_by_ach(payment=payment, account=account, actor=applicant)


def _return_fee(application, *, staff):
    """The bank sends the ACH debit back (R01): $15 added, the application goes on hold."""
    from payments import services as payments
    from payments.models import PaymentStatus, ReturnCode
    from payments.selectors import invoice_for

    payment = invoice_for(subject=application).payments.get(status=PaymentStatus.AUTHORIZED)
    payments.payment_return(payment=payment, actor=staff, return_code=ReturnCode.R01)


def _walk_to(application, target, *, applicant, reviewer):
    """Move a complete draft to ``target`` through the services (the fee paid through the
    payments app, so ledgers, receipts and holds read true)."""
    if target == RenewalStatus.DRAFT:
        return
    services.renewal_request_fee(application=application, actor=applicant)
    if target == RenewalStatus.FEE_DUE:
        return
    if target == RenewalStatus.ON_HOLD:
        # Paid by ACH, submitted and in review when the bank sent the debit back.
        _pay_fee(application, applicant=applicant, method="ach")
        services.renewal_submit(application=application, actor=applicant)
        services.renewal_start_review(application=application, actor=reviewer)
        _return_fee(application, staff=reviewer)
        return
    _pay_fee(application, applicant=applicant)
    if target == RenewalStatus.PAID:
        return
    services.renewal_submit(application=application, actor=applicant)
    if target == RenewalStatus.SUBMITTED:
        return
    services.renewal_start_review(application=application, actor=reviewer)
    if target == RenewalStatus.IN_REVIEW:
        return
    if target == RenewalStatus.APPROVED:
        services.renewal_mark_nremt_verified(application=application, actor=reviewer)
        services.renewal_approve(application=application, actor=reviewer)
        return
    if target == RenewalStatus.DENIED:
        services.renewal_deny(
            application=application, actor=reviewer, note="Demo: NREMT recertification not found."
        )
        return
    services.renewal_return_incomplete(
        application=application,
        actor=reviewer,
        reasons=IncompleteReason.objects.filter(code__in=["missing-document", "name-mismatch"]),
        note="Demo: upload your marriage certificate.",
    )
    if target == RenewalStatus.RESUBMITTED:
        services.renewal_resubmit(application=application, actor=applicant)


def _fill_steps(application, applicant):
    provider = application.certification.provider
    steps = [
        (RenewalStep.NREMT, {"nremt_number": f"M{provider.pk:07d}", "nremt_attest": True}),
        (
            RenewalStep.DETAILS,
            {
                "email": applicant.email,
                "phone": "860-509-7975",
                "address_line1": provider.address_line1,
                "city": provider.city,
                "state": provider.state,
                "postal_code": provider.postal_code,
            },
        ),
        (RenewalStep.CE, {"ce": True}),
        (RenewalStep.ATTEST, {"attestation_name": provider.full_name}),
    ]
    for step, data in steps:
        application = services.renewal_save_step(
            application=application, actor=applicant, step=step, data=data
        )
    return application


def seed(*, stdout, providers=None):
    today = timezone.localdate()
    reviewer = demo_user("reviewer@example.com")
    created = 0
    for number, first, last, level, birth, ssn, expires_in, discipline in PEOPLE:
        certification, new = _ensure_person(
            number, first, last, level, birth, ssn, expires_in, today=today
        )
        created += new
        if new and discipline:
            action = {
                "suspended": services.certification_suspend,
                "revoked": services.certification_revoke,
                "surrendered": services.certification_surrender,
            }[discipline]
            action(
                certification=certification,
                actor=reviewer,
                reason=f"Demo: {discipline}",
                effective_from=today - timedelta(days=10),
            )

    # The newcomer's own EMT certification, expiring soon, with most of its CE recorded.
    newcomer = demo_user(NEWCOMER_EMAIL)
    pat = Certification.objects.select_related("provider").get(number="E100001")
    if pat.provider.user_id is None:
        pat.provider.user = newcomer
        pat.provider.save(update_fields=["user"])
        _complete_ce(pat, fraction=Decimal("0.75"), actor=newcomer)

    for index, (number, first, last, level, birth, ssn, target) in enumerate(APPLICANTS, start=1):
        certification, new = _ensure_person(
            number, first, last, level, birth, ssn, 60 + index, today=today
        )
        if not new or RenewalApplication.objects.filter(certification=certification).exists():
            continue
        created += 1
        applicant = ensure_user(
            email=f"renewal-{target}@example.com".replace("_", "-"),
            full_name=certification.provider.full_name,
            role=roles.PROVIDER,
            is_staff=False,
        )
        certification.provider.user = applicant
        certification.provider.save(update_fields=["user"])
        _complete_ce(certification, actor=applicant)
        application = services.renewal_start(certification=certification, user=applicant)
        application = _fill_steps(application, applicant)
        _walk_to(application, target, applicant=applicant, reviewer=reviewer)

    stdout.write(
        f"  providers: {len(PEOPLE)} people at every level and status, {len(APPLICANTS)} "
        f"renewal applications (one per state), {created} new; {NEWCOMER_EMAIL} holds E100001 "
        f"(password {DEMO_PASSWORD!r})"
    )
    if providers:
        generated = generate(count=providers)
        stdout.write(f"  providers: generated {generated} more providers (state scale)")


FIRST = ["Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Drew"]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
]
GENERATED_FROM = 300000  # generated numbers start here; hand-made demo numbers stay below
BATCH = 2000


def generate(*, count: int) -> int:
    """Add providers up to ``count`` generated ones (idempotent), one certification each,
    spread over levels and expiration dates, with bulk inserts."""
    rng = random.Random(20240131)
    today = timezone.localdate()
    existing = Certification.objects.filter(number__regex=r"^[REAP][3-9]\d{5}$").count()
    levels = list(Level)
    made = 0
    for start in range(existing, count, BATCH):
        end = min(start + BATCH, count)
        people = []
        for sequence in range(start, end):
            ssn = f"{(sequence * 7919) % 1_000_000_000:09d}"
            people.append(
                Provider(
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    date_of_birth=date(1960 + sequence % 40, 1 + sequence % 12, 1 + sequence % 28),
                    ssn_hmac=services.ssn_hash(ssn),
                    ssn_last4=ssn[-4:],
                )
            )
        Provider.objects.bulk_create(people, batch_size=BATCH)
        if people[0].pk is None:  # backends without RETURNING on bulk insert
            people = list(Provider.objects.order_by("-pk")[: len(people)])[::-1]
        certifications = []
        for offset, provider in enumerate(people):
            sequence = start + offset
            level = levels[sequence % len(levels)]
            expires_on = today + timedelta(days=rng.randint(-800, 730))
            certifications.append(
                Certification(
                    provider=provider,
                    number=rules.certification_number(level, GENERATED_FROM + sequence),
                    level=level,
                    issued_on=rules.add_years(expires_on, -rules.CYCLE_YEARS[level]),
                    expires_on=expires_on,
                )
            )
        Certification.objects.bulk_create(certifications, batch_size=BATCH)
        made += len(people)
    return made
