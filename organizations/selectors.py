"""Reads on organizations used across apps (permissions, pickers) and by this app's pages,
API, admin and exports. Each returns the related rows its callers show, so a page's query
count does not grow with the number of rows."""

import csv
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from providers.rules import CertificationStatus, Level, certification_status

from . import rules
from .models import (
    AFFILIATION_OPEN,
    Affiliation,
    AffiliationStatus,
    ApplicationStatus,
    ChiefChangeReport,
    ChiefReportStatus,
    Organization,
    OrganizationApplication,
    OrganizationPerson,
    OrganizationStatus,
    PersonRole,
    PrimaryServiceArea,
    PsaType,
    Town,
)


def organizations_administered_by(*, user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(administrators=user)


def user_administers(*, user, organization: Organization) -> bool:
    """The per-object check every organization page and API view makes."""
    return user.is_authenticated and organization.administrators.filter(pk=user.pk).exists()


def _current_psas(on: date):
    return Prefetch(
        "psas",
        queryset=PrimaryServiceArea.objects.on(on)
        .select_related("town")
        .order_by("psa_type", "town__name"),
        to_attr="current_psas",
    )


def _current_people():
    return Prefetch(
        "people",
        queryset=OrganizationPerson.objects.filter(until__isnull=True).order_by(
            "role", "full_name"
        ),
        to_attr="current_people",
    )


def organization_directory(*, on: date | None = None) -> QuerySet[Organization]:
    """Active organizations with their PSAs in force on ``on`` (today) and current people."""
    on = on or timezone.localdate()
    return (
        Organization.objects.filter(status=OrganizationStatus.ACTIVE)
        .prefetch_related(_current_psas(on), _current_people())
        .order_by("legal_name")
    )


def organizations_administered_by_with_details(*, user) -> QuerySet[Organization]:
    on = timezone.localdate()
    return (
        organizations_administered_by(user=user)
        .prefetch_related(_current_psas(on), _current_people())
        .order_by("legal_name")
    )


def organization_detail(*, pk: int, on: date | None = None) -> Organization:
    on = on or timezone.localdate()
    return Organization.objects.prefetch_related(_current_psas(on), _current_people()).get(pk=pk)


def psa_holder(*, town: Town, psa_type: str, on: date) -> Organization | None:
    """The organization holding ``town`` for ``psa_type`` on ``on`` (None when nobody did)."""
    assignment = (
        PrimaryServiceArea.objects.on(on)
        .filter(town=town, psa_type=psa_type)
        .select_related("organization")
        .first()
    )
    return assignment.organization if assignment else None


def psa_history(*, town: Town, psa_type: str) -> QuerySet[PrimaryServiceArea]:
    return (
        PrimaryServiceArea.objects.filter(town=town, psa_type=psa_type)
        .select_related("organization")
        .order_by("effective_from")
    )


def psa_list(*, on: date | None = None, town: Town | None = None, psa_type: str = ""):
    on = on or timezone.localdate()
    queryset = PrimaryServiceArea.objects.on(on).select_related("town", "organization")
    if town is not None:
        queryset = queryset.filter(town=town)
    if psa_type:
        queryset = queryset.filter(psa_type=psa_type)
    return queryset.order_by("town__name", "psa_type")


def psa_by_town(*, on: date | None = None) -> list[dict]:
    """One row per town: its county and the holder of each PSA type on ``on``. Two queries."""
    on = on or timezone.localdate()
    holders: dict[tuple[int, str], Organization] = {}
    for assignment in PrimaryServiceArea.objects.on(on).select_related("organization"):
        holders[(assignment.town_id, assignment.psa_type)] = assignment.organization
    return [
        {
            "town": town,
            "holders": [(psa_type, holders.get((town.pk, psa_type))) for psa_type in PsaType],
        }
        for town in Town.objects.order_by("name")
    ]


def psa_by_organization(*, on: date | None = None) -> QuerySet[Organization]:
    on = on or timezone.localdate()
    return (
        Organization.objects.filter(psas__in=PrimaryServiceArea.objects.on(on))
        .distinct()
        .prefetch_related(_current_psas(on))
        .order_by("legal_name")
    )


def ido_list() -> QuerySet[OrganizationPerson]:
    """Current Infectious Disease Designated Officers of active organizations."""
    return (
        OrganizationPerson.objects.filter(
            role=PersonRole.IDO,
            until__isnull=True,
            organization__status=OrganizationStatus.ACTIVE,
        )
        .select_related("organization")
        .order_by("organization__legal_name")
    )


def notification_contacts() -> QuerySet[OrganizationPerson]:
    """Everybody the mass-notification system should reach: current people who receive
    notifications, of organizations that are not revoked or inactive."""
    return (
        OrganizationPerson.objects.filter(until__isnull=True, receives_notifications=True)
        .exclude(organization__status__in=[OrganizationStatus.REVOKED, OrganizationStatus.INACTIVE])
        .select_related("organization")
        .order_by("organization__legal_name", "role", "full_name")
    )


NOTIFICATION_CSV_HEADER = [
    "organization_number",
    "organization_name",
    "role",
    "full_name",
    "title",
    "email",
    "phone",
    "mobile_phone",
]


def notification_contacts_csv(out) -> None:
    """Write the contacts CSV the state's mass-notification system imports."""
    writer = csv.writer(out)
    writer.writerow(NOTIFICATION_CSV_HEADER)
    for person in notification_contacts().iterator(chunk_size=2000):
        writer.writerow(
            [
                person.organization.number,
                person.organization.legal_name,
                person.get_role_display(),
                person.full_name,
                person.title,
                person.email,
                person.phone,
                person.mobile_phone,
            ]
        )


def chief_reports_late() -> QuerySet[ChiefChangeReport]:
    """Reports that arrived after their due date and still wait for the office."""
    return (
        ChiefChangeReport.objects.filter(
            status=ChiefReportStatus.SUBMITTED, submitted_on__gt=F("due_on")
        )
        .select_related("organization")
        .order_by("submitted_on")
    )


def organizations_renewal_due(*, today: date | None = None) -> QuerySet[Organization]:
    today = today or timezone.localdate()
    return Organization.objects.filter(
        renewal_due_on__lte=today + timedelta(days=rules.RENEWAL_DUE_SOON_DAYS)
    ).exclude(status__in=[OrganizationStatus.REVOKED, OrganizationStatus.INACTIVE])


def applications_for(*, user) -> QuerySet[OrganizationApplication]:
    """Applications a signed-in person may see: theirs, and their organizations'."""
    if not user.is_authenticated:
        return OrganizationApplication.objects.none()

    return (
        OrganizationApplication.objects.filter(
            Q(applicant=user) | Q(organization__administrators=user)
        )
        .distinct()
        .select_related("organization")
    )


def application_queue() -> QuerySet[OrganizationApplication]:
    """What waits on staff, oldest complete first."""
    return (
        OrganizationApplication.objects.filter(
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW]
        )
        .select_related("organization", "applicant")
        .order_by("complete_at")
    )


def staff_counts() -> dict[str, int]:
    return {
        "queue": application_queue().count(),
        "late_chief_reports": chief_reports_late().count(),
        "chief_reports_waiting": ChiefChangeReport.objects.filter(
            status=ChiefReportStatus.SUBMITTED
        ).count(),
    }


# --- Affiliations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    """One certification of one affiliated provider, as the roster shows it."""

    affiliation_id: int
    affiliated_since: date | None
    provider_id: int
    provider_name: str
    level: str
    level_label: str
    number: str
    status: str
    status_label: str
    expires_on: date | None


def organization_roster(*, organization: Organization, today: date | None = None) -> list:
    """The organization's approved affiliations, one row per certification of each provider
    (a provider without one still shows), by name. One query whatever the roster's size: the
    certification fields ride on the affiliation rows through one join."""

    today = today or timezone.localdate()
    rows = (
        Affiliation.objects.filter(organization=organization, status=AffiliationStatus.APPROVED)
        .select_related("provider")
        .annotate(
            certification_number=F("provider__certifications__number"),
            certification_level=F("provider__certifications__level"),
            certification_expires_on=F("provider__certifications__expires_on"),
            certification_discipline=F("provider__certifications__discipline"),
            certification_discipline_from=F("provider__certifications__discipline_from"),
            certification_discipline_until=F("provider__certifications__discipline_until"),
        )
        .order_by(
            "provider__last_name", "provider__first_name", "provider_id", "certification_number"
        )
    )
    roster = []
    for row in rows:
        status = (
            certification_status(
                expiration=row.certification_expires_on,
                discipline=row.certification_discipline or "",
                discipline_from=row.certification_discipline_from,
                discipline_until=row.certification_discipline_until,
                today=today,
            )
            if row.certification_number
            else ""
        )
        roster.append(
            RosterRow(
                affiliation_id=row.pk,
                affiliated_since=timezone.localdate(row.decided_at) if row.decided_at else None,
                provider_id=row.provider_id,
                provider_name=row.provider.full_name,
                level=row.certification_level or "",
                level_label=Level(row.certification_level).label if row.certification_level else "",
                number=row.certification_number or "",
                status=status,
                status_label=CertificationStatus(status).label if status else "No certification",
                expires_on=row.certification_expires_on,
            )
        )
    return roster


def affiliation_requests(*, organization: Organization):
    """Pending requests to join the organization's roster, oldest first."""
    return (
        Affiliation.objects.filter(organization=organization, status=AffiliationStatus.PENDING)
        .select_related("provider")
        .order_by("requested_at", "id")
    )


def affiliations_of_provider(*, provider):
    """Every affiliation of a provider, open ones first, with its organization."""

    if provider is None:
        return Affiliation.objects.none()
    return (
        Affiliation.objects.filter(provider=provider)
        .select_related("organization")
        .annotate(
            open_first=Case(
                When(status__in=AFFILIATION_OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "organization__legal_name", "-requested_at")
    )


def affiliable_organizations() -> QuerySet[Organization]:
    """What a provider may pick from: the active organizations of the directory."""
    return Organization.objects.filter(status=OrganizationStatus.ACTIVE).order_by("legal_name")


def pending_affiliation_counts(*, organizations) -> dict[int, int]:
    """Pending requests per organization (for the dashboard panel), one query."""

    return dict(
        Affiliation.objects.filter(organization__in=organizations, status=AffiliationStatus.PENDING)
        .values("organization")
        .annotate(count=Count("id"))
        .values_list("organization", "count")
    )
