"""Demo organizations: every kind, ownership and credential type, PSAs covering all 169 towns
for every type that applies, their people and IDOs, chief of service reports and applications
in several states. ``providers=N`` adds about one organization per 50 providers (bulk inserts).
Idempotent: a second run adds nothing."""

from datetime import date, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user
from core.files import minimal_pdf
from providers.models import Provider

from . import rules, services
from .models import (
    Affiliation,
    ApplicationKind,
    ApplicationStatus,
    ChiefChangeReport,
    CredentialType,
    Organization,
    OrganizationApplication,
    OrganizationPerson,
    Ownership,
    PersonRole,
    PrimaryServiceArea,
    PsaType,
    ServiceKind,
    ServiceLevel,
    Town,
)

PROVIDERS_PER_ORGANIZATION = 50
PSA_START = date(2020, 1, 1)

# number, legal name, kind, ownership, level, city
ORGANIZATIONS = [
    (
        "AMB-0001",
        "Capitol Region Ambulance, Inc.",
        ServiceKind.AMBULANCE,
        Ownership.COMMERCIAL,
        ServiceLevel.PARAMEDIC,
        "Hartford",
    ),
    (
        "AMB-0002",
        "Shoreline Medical Transport LLC",
        ServiceKind.AMBULANCE,
        Ownership.COMMERCIAL,
        ServiceLevel.PARAMEDIC,
        "New Haven",
    ),
    (
        "AMB-0003",
        "Quiet Corner Volunteer Ambulance Corps",
        ServiceKind.AMBULANCE,
        Ownership.VOLUNTEER,
        ServiceLevel.BLS,
        "Putnam",
    ),
    (
        "AMB-0004",
        "City of Waterbury Fire-EMS",
        ServiceKind.AMBULANCE,
        Ownership.MUNICIPAL,
        ServiceLevel.PARAMEDIC,
        "Waterbury",
    ),
    (
        "AMB-0005",
        "Litchfield Hills Ambulance Association",
        ServiceKind.AMBULANCE,
        Ownership.VOLUNTEER,
        ServiceLevel.AEMT,
        "Torrington",
    ),
    (
        "AMB-0006",
        "UConn Health Campus EMS",
        ServiceKind.AMBULANCE,
        Ownership.STATE_AGENCY,
        ServiceLevel.BLS,
        "Farmington",
    ),
    (
        "EFR-0001",
        "Town of Mansfield Fire Department",
        ServiceKind.FIRST_RESPONDER,
        Ownership.MUNICIPAL,
        ServiceLevel.BLS,
        "Mansfield",
    ),
    (
        "EFR-0002",
        "Lower Valley Volunteer Fire Company",
        ServiceKind.FIRST_RESPONDER,
        Ownership.VOLUNTEER,
        ServiceLevel.BLS,
        "Essex",
    ),
    (
        "EFR-0003",
        "Connecticut State Police Emergency Response",
        ServiceKind.FIRST_RESPONDER,
        Ownership.STATE_AGENCY,
        ServiceLevel.BLS,
        "Middletown",
    ),
    (
        "EFR-0004",
        "Fairfield County Industrial Safety Services",
        ServiceKind.FIRST_RESPONDER,
        Ownership.COMMERCIAL,
        ServiceLevel.AEMT,
        "Stamford",
    ),
]

FIRST_NAMES = [
    "Alex",
    "Jordan",
    "Morgan",
    "Casey",
    "Taylor",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Drew",
    "Robin",
    "Sam",
    "Lee",
    "Kendall",
    "Parker",
    "Reese",
]
LAST_NAMES = [
    "Rivera",
    "Nguyen",
    "O'Brien",
    "Kowalski",
    "Silva",
    "Patel",
    "Johnson",
    "Murphy",
    "Costa",
    "Dubois",
    "Fitzgerald",
    "Lopez",
    "Bennett",
    "Hughes",
    "Moreau",
    "Kim",
]


def _name(index: int) -> str:
    return f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index // 3) % len(LAST_NAMES)]}"


def _organization_row(number, legal_name, kind, ownership, level, city, index) -> Organization:
    credential_type = rules.credential_type_for(ownership)
    quarter = None if credential_type == CredentialType.LICENSE else index % 4 + 1
    today = timezone.localdate()
    return Organization(
        number=number,
        legal_name=legal_name,
        kind=kind,
        ownership=ownership,
        credential_type=credential_type,
        highest_level=level,
        email=f"office@{number.lower().replace('-', '')}.example.org",
        phone=f"860-555-{index % 10000:04d}",
        street=f"{10 + index} Main Street",
        city=city,
        postal_code=f"06{index % 1000:03d}",
        renewal_quarter=quarter,
        renewal_due_on=rules.renewal_due_date(
            credential_type=credential_type, quarter=quarter, year=today.year
        ),
    )


def _people_rows(organization: Organization, index: int) -> list[OrganizationPerson]:
    domain = organization.email.split("@")[1]
    since, phone = {"since": PSA_START}, {"phone": organization.phone}
    # role, name, title, mailbox, the rest
    people = [
        (PersonRole.CHIEF_OF_SERVICE, _name(index), "Chief of service", "chief", since | phone),
        (PersonRole.IDO, _name(index + 1), "Infection control officer", "ido", since | phone),
        (
            PersonRole.CONTACT,
            _name(index + 2),
            "Operations manager",
            "ops",
            phone | {"mobile_phone": f"203-555-{index % 10000:04d}"},
        ),
    ]
    if organization.kind == ServiceKind.AMBULANCE:
        people.append(
            (
                PersonRole.MEDICAL_DIRECTOR,
                f"Dr. {_name(index + 5)}",
                "Medical director",
                "medical.director",
                since,
            )
        )
    return [
        OrganizationPerson(
            organization=organization,
            role=role,
            full_name=full_name,
            title=title,
            email=f"{mailbox}@{domain}",
            **rest,
        )
        for role, full_name, title, mailbox, rest in people
    ]


def _generated(count: int, start: int) -> list[tuple]:
    towns = list(Town.objects.order_by("name").values_list("name", flat=True))
    kinds = [ServiceKind.AMBULANCE, ServiceKind.FIRST_RESPONDER]
    ownerships = list(Ownership)
    levels = list(ServiceLevel)
    rows = []
    for offset in range(count):
        index = start + offset
        kind = kinds[index % 2]
        prefix = rules.NUMBER_PREFIX[kind]
        town = towns[index % len(towns)]
        word = "Ambulance" if kind == ServiceKind.AMBULANCE else "Emergency Response"
        rows.append(
            (
                f"{prefix}{1000 + index:04d}",
                f"{town} {word} {index}",
                kind,
                ownerships[index % 4],
                levels[index % 3],
                town,
            )
        )
    return rows


@transaction.atomic
def _organizations(providers: int | None) -> list[Organization]:
    specs = list(ORGANIZATIONS)
    if providers:
        wanted = max(len(ORGANIZATIONS), providers // PROVIDERS_PER_ORGANIZATION)
        specs += _generated(wanted - len(ORGANIZATIONS), start=0)
    existing = set(Organization.objects.values_list("number", flat=True))
    new = [
        _organization_row(*spec, index)
        for index, spec in enumerate(specs)
        if spec[0] not in existing
    ]
    Organization.objects.bulk_create(new, batch_size=1000)
    numbers = [spec[0] for spec in specs]
    organizations = list(Organization.objects.filter(number__in=numbers).order_by("number"))
    with_people = set(
        OrganizationPerson.objects.filter(organization__in=organizations).values_list(
            "organization_id", flat=True
        )
    )
    people = []
    for index, organization in enumerate(organizations):
        if organization.pk not in with_people:
            people += _people_rows(organization, index)
    OrganizationPerson.objects.bulk_create(people, batch_size=2000)
    return organizations


@transaction.atomic
def _psas(organizations: list[Organization]) -> int:
    """Every town, every PSA type, one holder from PSA_START (only where none is set)."""
    holders = {
        PsaType.FIRST_RESPONDER: organizations,
        PsaType.BLS: [o for o in organizations if o.kind == ServiceKind.AMBULANCE],
        PsaType.ALS: [
            o
            for o in organizations
            if o.kind == ServiceKind.AMBULANCE and o.highest_level == ServiceLevel.PARAMEDIC
        ],
    }
    taken = set(
        PrimaryServiceArea.objects.filter(effective_until__isnull=True).values_list(
            "town_id", "psa_type"
        )
    )
    rows = []
    for index, town in enumerate(Town.objects.order_by("name")):
        for psa_type, candidates in holders.items():
            if (town.pk, psa_type) in taken or not candidates:
                continue
            rows.append(
                PrimaryServiceArea(
                    town=town,
                    psa_type=psa_type,
                    organization=candidates[index % len(candidates)],
                    effective_from=PSA_START,
                )
            )
    PrimaryServiceArea.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _psa_history(organizations, actor) -> None:
    """One town changes BLS holder, so "holder at a date" has something to show."""
    by_number = {o.number: o for o in organizations}
    town = Town.objects.get(name="Putnam")
    new_holder = by_number["AMB-0003"]
    current = PrimaryServiceArea.objects.filter(
        town=town, psa_type=PsaType.BLS, effective_until__isnull=True
    ).first()
    if current and current.organization_id != new_holder.pk:
        services.psa_assign(
            town=town,
            psa_type=PsaType.BLS,
            organization=new_holder,
            effective_from=date(2024, 7, 1),
            actor=actor,
            reason="Demo: PSA transferred",
        )


def _administrator_and_work(organizations, reviewer) -> int:
    orgadmin = demo_user("orgadmin@example.com")
    by_number = {o.number: o for o in organizations}
    mine = by_number["AMB-0001"]
    mine.administrators.add(orgadmin)
    if OrganizationApplication.objects.filter(applicant=orgadmin).exists():
        return 0
    today = timezone.localdate()
    # Chief of service reports: one on time waiting, one late waiting.
    for name, effective, submitted in [
        ("Jordan Avery", today - timedelta(days=5), today),
        ("Morgan Ellis", today - timedelta(days=40), today - timedelta(days=2)),
    ]:
        report = ChiefChangeReport(
            organization=mine if name == "Jordan Avery" else by_number["AMB-0003"],
            new_chief_name=name,
            new_chief_email=f"{name.split()[0].lower()}@example.org",
            effective_date=effective,
            reported_by=orgadmin,
            submitted_on=submitted,
            due_on=rules.chief_change_due_date(effective),
        )
        report.letterhead.save(
            f"{name.split()[1].lower()}-letterhead.pdf",
            ContentFile(minimal_pdf()),
            save=False,
        )
        report.save()
    # Applications in several states.
    volunteer = by_number["AMB-0003"]
    volunteer.administrators.add(orgadmin)
    new_org = services.application_create(
        kind=ApplicationKind.NEW_ORGANIZATION,
        applicant=orgadmin,
        legal_name="Harbor Paramedics LLC",
        service_kind=ServiceKind.AMBULANCE,
        ownership=Ownership.COMMERCIAL,
        email="office@harborparamedics.example.org",
        street="1 Harbor Way",
        city="New London",
        requested_level=ServiceLevel.PARAMEDIC,
        requested_psa_type=PsaType.ALS,
    )
    services.application_submit(application=new_org, actor=orgadmin)
    in_review = partial(_in_review, applicant=orgadmin, reviewer=reviewer)
    in_review(
        kind=ApplicationKind.CHANGE_OF_SERVICES,
        organization=mine,
        requested_level=ServiceLevel.PARAMEDIC,
        description="Add two ALS intercept vehicles.",
        vehicles_change="Two ALS fly cars added.",
    )
    returned = in_review(
        kind=ApplicationKind.CHANGE_OF_SERVICES,
        organization=volunteer,
        description="Extend BLS coverage to Thompson.",
    )
    services.application_return(
        application=returned, actor=reviewer, reason="Attach the town's letter of support."
    )
    services.application_create(
        kind=ApplicationKind.NEW_ORGANIZATION,
        applicant=orgadmin,
        legal_name="Draft Valley First Responders",
    )
    renewal = services.application_create(
        kind=ApplicationKind.RENEWAL, applicant=orgadmin, organization=mine
    )
    services.application_submit(application=renewal, actor=orgadmin)  # license fee due
    denied = in_review(
        kind=ApplicationKind.CHANGE_OF_SERVICES,
        organization=volunteer,
        requested_level=ServiceLevel.PARAMEDIC,
        description="Upgrade to paramedic level.",
    )
    services.application_deny(
        application=denied,
        actor=reviewer,
        reason="No medical director agreement for paramedic care.",
    )
    renewal_cert = in_review(kind=ApplicationKind.RENEWAL, organization=volunteer)
    services.application_approve(application=renewal_cert, actor=reviewer)
    return OrganizationApplication.objects.filter(applicant=orgadmin).count()


def _in_review(*, applicant, reviewer, **fields) -> OrganizationApplication:
    """An application created, submitted and taken into review, as its people would."""
    application = services.application_create(applicant=applicant, **fields)
    services.application_submit(application=application, actor=applicant)
    services.application_start_review(application=application, actor=reviewer)
    return application


def _affiliations(organizations, reviewer) -> int:
    """Demo providers (the linked demo accounts) on demo organizations' rosters: AMB-0001
    (orgadmin@example.com's) has several approved and one ended, and provider@example.com's
    request to join it is pending; a few more providers ride with other organizations."""

    by_number = {o.number: o for o in organizations}
    mine = by_number.get("AMB-0001")
    if mine is None or Affiliation.objects.filter(organization=mine).exists():
        return 0
    orgadmin = demo_user("orgadmin@example.com")
    linked = list(
        Provider.objects.filter(user__email__startswith="renewal-")
        .select_related("user")
        .order_by("last_name", "first_name")
    )
    others = [o for o in organizations if o.number != "AMB-0001"][:3]
    created = 0
    for index, provider in enumerate(linked[:7]):
        affiliation = services.affiliation_request(
            provider=provider, organization=mine, actor=provider.user, note="Per diem crew member"
        )
        if index == 6:
            services.affiliation_decline(
                affiliation=affiliation, actor=orgadmin, note="Not on our crew list."
            )
        else:
            services.affiliation_approve(affiliation=affiliation, actor=orgadmin)
        if index == 5:
            services.affiliation_end(
                affiliation=affiliation, actor=provider.user, reason="Moved out of state."
            )
        created += 1
    for provider, organization in zip(linked[7:], others * 3, strict=False):
        affiliation = services.affiliation_request(
            provider=provider, organization=organization, actor=provider.user
        )
        services.affiliation_approve(affiliation=affiliation, actor=reviewer)
        created += 1
    newcomer = Provider.objects.filter(user__email="provider@example.com").first()
    if newcomer is not None:
        services.affiliation_request(
            provider=newcomer,
            organization=mine,
            actor=newcomer.user,
            note="I ride Tuesday nights.",
        )
        created += 1
    return created


def seed(*, stdout, providers=None):
    reviewer = demo_user("reviewer@example.com")
    organizations = _organizations(providers)
    psa_count = _psas(organizations)
    _psa_history(organizations, reviewer)
    applications = _administrator_and_work(organizations, reviewer)
    affiliations = _affiliations(organizations, reviewer)
    status_counts = {
        status: OrganizationApplication.objects.filter(status=status).count()
        for status in ApplicationStatus
    }
    stdout.write(
        f"  organizations: {len(organizations)} organizations, {psa_count} new PSA assignments, "
        f"{applications} new applications ({', '.join(f'{s.label}: {n}' for s, n in status_counts.items() if n)}); "
        f"orgadmin@example.com administers AMB-0001; {affiliations} new provider affiliations "
        "(AMB-0001's roster, one request pending from provider@example.com)"
    )
