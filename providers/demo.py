"""Demo providers: every level and every certification status, renewal applications in every
state (each walked through the real services, so their history reads true), and the demo user
provider@example.com linked to an EMT whose certification expires soon. ``providers=N`` adds N
generated providers with bulk inserts (state scale). Numbers, dates of birth and SSNs of the
demo people are listed in docs/providers.md."""

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from accounts import roles
from accounts.demo import DEMO_PASSWORD, demo_user, ensure_user
from accounts.models import User
from core.bulk import insert_rows, reserve_ids
from payments import services as payment_services
from payments.fees import current_fee
from payments.models import FeeCode, Invoice, InvoiceStatus, PaymentStatus, ReturnCode
from payments.selectors import invoice_for
from test_processor.services import pay_hosted

from . import rules, services
from .models import (
    CEDelivery,
    CERecord,
    Certification,
    IncompleteReason,
    Provider,
    RenewalApplication,
    RenewalStatus,
    RenewalStep,
)
from .names import FIRST_HEAD, SURNAME_HEAD, draw_names
from .rules import Level
from .selectors import ce_progress, ce_requirement_for

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
    """Pay the renewal fee through the test processor's hosted page, as the pay page does: by
    the approving test card, or from the ACH test account whose debit later comes back R01
    (docs/payments.md)."""
    payment = payment_services.payment_start(
        invoice=invoice_for(subject=application),
        payer=applicant,
        method=method,
        idempotency_key=uuid.uuid4(),
    )
    return pay_hosted(payment, number="4242424242424242" if method == "card" else "000222222227")


def _return_fee(application, *, staff):
    """The bank sends the ACH debit back (R01): $15 added, the application goes on hold."""
    payment = invoice_for(subject=application).payments.get(status=PaymentStatus.AUTHORIZED)
    payment_services.payment_return(payment=payment, actor=staff, return_code=ReturnCode.R01)


def _walk_to(application, target, *, applicant, reviewer):
    """Move a complete draft to ``target`` through the services (the fee paid through the
    payments app, so ledgers, receipts and holds read true)."""
    if target == RenewalStatus.DRAFT:
        return
    # On hold: paid by ACH, submitted and in review when the bank sent the debit back.
    method = "ach" if target == RenewalStatus.ON_HOLD else "card"
    steps = [
        (RenewalStatus.FEE_DUE, partial(services.renewal_request_fee, actor=applicant)),
        (RenewalStatus.PAID, partial(_pay_fee, applicant=applicant, method=method)),
        (RenewalStatus.SUBMITTED, partial(services.renewal_submit, actor=applicant)),
        (RenewalStatus.IN_REVIEW, partial(services.renewal_start_review, actor=reviewer)),
    ]
    for reached, step in steps:
        step(application=application)
        if target == reached:
            return
    if target == RenewalStatus.ON_HOLD:
        _return_fee(application, staff=reviewer)
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


# ---------------------------------------------------------------------------------------------
# State scale: ``seed_demo --providers N``.

# Complainants' names (complaints.demo); providers draw theirs from ``providers.names``.
FIRST, LAST = list(FIRST_HEAD), list(SURNAME_HEAD)
CITIES = [
    ("Hartford", "06103"),
    ("New Haven", "06510"),
    ("Stamford", "06901"),
    ("Bridgeport", "06604"),
    ("Waterbury", "06702"),
    ("Norwalk", "06850"),
    ("Danbury", "06810"),
    ("New Britain", "06051"),
    ("Bristol", "06010"),
    ("Meriden", "06450"),
    ("Torrington", "06790"),
    ("Norwich", "06360"),
]
GENERATED_EMAIL = "@scale.example.com"  # marks generated providers (and their users)
GENERATED_FROM = 300000  # generated numbers start here; hand-made demo numbers stay below
# A level's numbers run out at 999999: 700,000 generated certifications per level.
GENERATED_CAPACITY = 10**rules.NUMBER_DIGITS - GENERATED_FROM
BATCH = 5000
# Level mix of the generated workforce (weights), and who once held a lower certification.
LEVEL_WEIGHTS = {Level.EMR: 12, Level.EMT: 58, Level.AEMT: 6, Level.PARAMEDIC: 24}
UPGRADED_FROM = {Level.AEMT: Level.EMT, Level.PARAMEDIC: Level.EMT}
UPGRADE_SHARE = 0.35  # EMT: 58% + 35% of 30% = 68.5% of the 700,000 EMT numbers at 1,000,000
DISCIPLINE_SHARE = {"suspended": 0.004, "revoked": 0.002, "surrendered": 0.003}
# Of the providers in their renewal window (expiring within 120 days or in grace, about one in
# seven), this share has an application, spread over every state: about 4% of all providers.
APPLICATION_SHARE = 0.3


def _generated_count() -> int:
    return Provider.objects.filter(email__endswith=GENERATED_EMAIL).count()


def _number_counters() -> dict[str, int]:
    """How many generated numbers each level has used (generation resumes after them)."""
    counters = {}
    for level, prefix in rules.LEVEL_PREFIX.items():
        counters[level] = Certification.objects.filter(
            number__gte=f"{prefix}{GENERATED_FROM:06d}", number__lte=f"{prefix}999999"
        ).count()
    return counters


def _ce_hours(level, on):
    requirement = ce_requirement_for(level=level, on=on)
    if requirement is None:
        return {}
    return {
        "national": requirement.national_hours,
        "local": requirement.local_hours,
        "individual": requirement.individual_hours,
    }


def generate(*, count: int) -> int:
    """Add generated providers until there are ``count`` of them (idempotent; resumes where a
    previous run stopped). Each batch is one transaction, written with COPY on PostgreSQL:
    providers, their certification history (a lower certification they upgraded from, some
    discipline), CE for the current cycle, and renewal applications in every state with their
    invoices and applicant accounts. No history rows: generated rows have no audit trail."""
    existing = _generated_count()
    if existing >= count:
        return 0
    today = timezone.localdate()
    now = timezone.now()
    counters = _number_counters()
    levels = list(LEVEL_WEIGHTS)
    weights = list(LEVEL_WEIGHTS.values())
    statuses = list(RenewalStatus)
    components = ["national", "local", "individual"]
    ce_hours = {level: _ce_hours(level, today) for level in levels}
    password = make_password(DEMO_PASSWORD)
    group = Group.objects.get(name=roles.PROVIDER)
    fee = current_fee(FeeCode.PROVIDER_RENEWAL)
    application_type = ContentType.objects.get_for_model(RenewalApplication)
    made = 0
    for start in range(existing, count, BATCH):
        end = min(start + BATCH, count)
        # One random stream per batch: a resumed run makes the same rows as an uninterrupted one.
        rng = random.Random(20240131 + start)
        names = draw_names(random.Random(19900401 + start), end - start)  # a stream of their own
        providers, certifications, ce_rows = [], [], []
        users, applications, invoices = [], [], []
        provider_ids = reserve_ids(Provider, end - start)
        rows = zip(range(start, end), provider_ids, names, strict=True)
        for sequence, provider_id, (first, last) in rows:
            ssn = f"{(sequence * 7919 + 104729) % 1_000_000_000:09d}"
            city, postal_code = CITIES[sequence % len(CITIES)]
            email = f"p{sequence:07d}{GENERATED_EMAIL}"
            level = rng.choices(levels, weights)[0]
            expires_on = today + timedelta(days=rng.randint(-800, 730))
            issued_on = rules.add_years(expires_on, -rules.CYCLE_YEARS[level])
            provider = {
                "id": provider_id,
                "first_name": first,
                "last_name": last,
                "date_of_birth": date(1960 + sequence % 40, 1 + sequence % 12, 1 + sequence % 28),
                "ssn_hmac": services.ssn_hash(ssn),
                "ssn_last4": ssn[-4:],
                "email": email,
                "address_line1": f"{1 + sequence % 999} Main Street",
                "city": city,
                "state": "CT",
                "postal_code": postal_code,
                "nremt_number": f"M{sequence:08d}",
            }
            providers.append(provider)

            def number(for_level):
                used = counters[for_level]
                if used >= GENERATED_CAPACITY:
                    raise RuntimeError(f"No generated {for_level} numbers left (at {used}).")
                counters[for_level] = used + 1
                return rules.certification_number(for_level, GENERATED_FROM + used)

            if level in UPGRADED_FROM and rng.random() < UPGRADE_SHARE:
                # The lower certification they held until the upgrade.
                lower = UPGRADED_FROM[level]
                certifications.append(
                    {
                        "provider_id": provider_id,
                        "number": number(lower),
                        "level": lower,
                        "issued_on": rules.add_years(issued_on, -rules.CYCLE_YEARS[lower]),
                        "expires_on": issued_on,
                    }
                )
            current = {
                "provider_id": provider_id,
                "number": number(level),
                "level": level,
                "issued_on": issued_on,
                "expires_on": expires_on,
            }
            roll = rng.random()
            for discipline, share in DISCIPLINE_SHARE.items():
                if roll < share:
                    current |= {
                        "discipline": discipline,
                        "discipline_from": today - timedelta(days=rng.randint(5, 300)),
                        "discipline_reason": f"Generated: {discipline}",
                    }
                    break
                roll -= share
            certifications.append(current)

            # CE for the current cycle: all of it, most of it or half of it.
            if expires_on >= today - timedelta(days=rules.GRACE_DAYS):
                fraction = rng.choice([Decimal(1), Decimal(1), Decimal("0.75"), Decimal("0.5")])
                day = min(today, expires_on) - timedelta(days=rng.randint(20, 200))
                for component in components:
                    hours = (ce_hours[level].get(component, 0) * fraction).quantize(Decimal("0.25"))
                    while hours > 0:
                        chunk = min(hours, Decimal(rules.MAX_CE_HOURS_PER_COURSE))
                        ce_rows.append(
                            {
                                "provider_id": provider_id,
                                "course_title": f"{component.title()} refresher",
                                "completed_on": day,
                                "hours": chunk,
                                "component": component,
                                "delivery": CEDelivery.DISTRIBUTIVE,
                                "approval_number": f"T3-{day.year}-{1000 + sequence % 9000:04d}",
                            }
                        )
                        hours -= chunk

            # A renewal application for some of those in their renewal window.
            in_window = -rules.GRACE_DAYS <= (expires_on - today).days <= 120
            if in_window and not current.get("discipline") and rng.random() < APPLICATION_SHARE:
                current["_application"] = statuses[sequence % len(statuses)]
                users.append({"email": email, "full_name": f"{first} {last}", "password": password})
                provider["_user"] = len(users) - 1
        user_ids = reserve_ids(User, len(users))
        for row, user_id in zip(users, user_ids, strict=True):
            row["id"] = user_id
            row["date_joined"] = now
            row["is_active"] = True
        for provider in providers:
            if "_user" in provider:
                provider["user_id"] = user_ids[provider.pop("_user")]
        certification_ids = reserve_ids(Certification, len(certifications))
        user_of = {p["id"]: p.get("user_id") for p in providers}
        application_ids = reserve_ids(
            RenewalApplication, sum(1 for c in certifications if "_application" in c)
        )
        next_application = iter(application_ids)
        for certification, certification_id in zip(certifications, certification_ids, strict=True):
            certification["id"] = certification_id
            status = certification.pop("_application", None)
            if status is None:
                continue
            applications.append(
                _application_row(
                    next(next_application),
                    certification,
                    user_of[certification["provider_id"]],
                    status,
                    rng=rng,
                    now=now,
                    today=today,
                )
            )
            if status != RenewalStatus.DRAFT:
                invoice_status = {
                    RenewalStatus.FEE_DUE: InvoiceStatus.OPEN,
                    RenewalStatus.ON_HOLD: InvoiceStatus.ON_HOLD,
                }.get(status, InvoiceStatus.PAID)
                invoices.append(
                    {
                        "id": uuid.uuid4(),
                        "payer_id": user_of[certification["provider_id"]],
                        "fee_code": FeeCode.PROVIDER_RENEWAL,
                        "description": f"Renewal of {certification['number']}",
                        "amount": fee,
                        "status": invoice_status,
                        "subject_type_id": application_type.pk,
                        "subject_id": str(applications[-1]["id"]),
                        "paid_at": None if invoice_status == InvoiceStatus.OPEN else now,
                    }
                )
        with transaction.atomic():
            insert_rows(User, users)
            insert_rows(
                User.groups.through, [{"user_id": u["id"], "group_id": group.pk} for u in users]
            )
            insert_rows(
                EmailAddress,
                [
                    {"user_id": u["id"], "email": u["email"], "verified": True, "primary": True}
                    for u in users
                ],
            )
            insert_rows(Provider, providers)
            insert_rows(Certification, certifications)
            insert_rows(CERecord, ce_rows)
            insert_rows(RenewalApplication, applications)
            insert_rows(Invoice, invoices)
        made += end - start
    if made and connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses row counts from before the bulk load.
        tables = [m._meta.db_table for m in (User, Provider, Certification, CERecord)]
        tables += [RenewalApplication._meta.db_table, Invoice._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
    return made


def _application_row(pk, certification, user_id, status, *, rng, now, today) -> dict:
    """A renewal application row that reads as if the services had walked it to ``status``."""
    level = certification["level"]
    row = {
        "id": pk,
        "certification_id": certification["id"],
        "applicant_id": user_id,
        "status": status,
        "step": RenewalStep.ATTEST if status != RenewalStatus.DRAFT else RenewalStep.DETAILS,
        "nremt_attested_at": now,
        "state": "CT",
        "created_at": now - timedelta(days=rng.randint(10, 60)),
    }
    if status == RenewalStatus.DRAFT:
        return row
    row |= {"attestation_name": "Generated applicant", "attested_at": now}
    if status in (
        RenewalStatus.SUBMITTED,
        RenewalStatus.IN_REVIEW,
        RenewalStatus.RETURNED,
        RenewalStatus.RESUBMITTED,
        RenewalStatus.APPROVED,
        RenewalStatus.DENIED,
    ):
        submitted = now - timedelta(days=rng.randint(1, 45))
        row |= {"submitted_at": submitted, "complete_on": submitted.date()}
    if status == RenewalStatus.RETURNED:
        row |= {"return_note": "Generated: upload your NREMT card."}
    if status in (RenewalStatus.APPROVED, RenewalStatus.DENIED):
        row |= {"decided_at": now, "nremt_verified_at": now}
    if status == RenewalStatus.APPROVED:
        # The approval moved the certification on by one cycle.
        new = rules.next_expiration(level=level, current_expiration=certification["expires_on"])
        row |= {"previous_expires_on": certification["expires_on"], "new_expires_on": new}
        certification["expires_on"] = new
    if status == RenewalStatus.DENIED:
        row |= {"decision_note": "Generated: NREMT recertification not found."}
    if status == RenewalStatus.ON_HOLD:
        row |= {"status_before_hold": RenewalStatus.PAID}
    return row
