"""A small data set across the domains whose dashboard figures are computed by hand in the
tests (see EXPECTED_* below). Built with each domain's services and the domains' own test
factories; ``seed(copies=n)`` lays the same set down n times (every figure multiplies by n), for
the query-count tests."""

from datetime import datetime, time, timedelta
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from organizations import services as organization_services
from organizations.models import ApplicationKind, ApplicationStatus, OrganizationApplication
from providers import rules as provider_rules
from providers import services as provider_services
from providers.models import RenewalApplication, RenewalStatus
from providers.rules import Level
from rates.models import FilingStatus, RateInvitation, RateYearStatus
from tests.providers.factories import make_provider
from tests.rates.factories import OrganizationFactory as RatesOrganizationFactory
from tests.rates.factories import RateYearFactory, filing
from tests.uploads import PDF
from tests.vehicles.factories import OrganizationFactory, VehicleFactory
from vehicles.models import InspectionResult, VehicleStatus

_sequence = count(500_000)


def certification(*, level, expires_in: int, provider=None):
    today = timezone.localdate()
    expires_on = today + timedelta(days=expires_in)
    return provider_services.certification_create(
        provider=provider or make_provider(),
        level=level,
        sequence=next(_sequence),
        issued_on=provider_rules.add_years(expires_on, -2),
        expires_on=expires_on,
    )


# level -> status -> count, on a fresh copy of the set
EXPECTED_BY_LEVEL_STATUS = {
    Level.EMR: {"active": 1, "expired": 1},
    Level.EMT: {"active": 3, "suspended": 1},
    Level.AEMT: {"active": 1, "lapsed": 1},
    Level.PARAMEDIC: {"active": 1, "in_grace": 1, "revoked": 1},
}
# level -> window -> active certifications expiring within it (today inclusive, end inclusive)
EXPECTED_EXPIRING = {
    Level.EMR: {30: 1, 60: 1, 90: 1},
    Level.EMT: {30: 1, 60: 2, 90: 2},
    Level.AEMT: {30: 1, 60: 1, 90: 1},
    Level.PARAMEDIC: {30: 0, 60: 0, 90: 1},
}


def seed_certifications(actor):
    today = timezone.localdate()
    certification(level=Level.EMR, expires_in=30)  # active; the last day of the 30-day window
    certification(level=Level.EMR, expires_in=-800)  # past reinstatement: expired
    certification(level=Level.EMT, expires_in=10)
    certification(level=Level.EMT, expires_in=45)
    certification(level=Level.EMT, expires_in=200)
    suspended = certification(level=Level.EMT, expires_in=20)
    provider_services.certification_suspend(
        certification=suspended, actor=actor, reason="Test", effective_from=today
    )
    certification(level=Level.AEMT, expires_in=0)  # expires today: still active
    certification(level=Level.AEMT, expires_in=-100)  # beyond 90 days' grace: lapsed
    certification(level=Level.PARAMEDIC, expires_in=80)
    certification(level=Level.PARAMEDIC, expires_in=-10)  # in grace
    revoked = certification(level=Level.PARAMEDIC, expires_in=300)
    provider_services.certification_revoke(
        certification=revoked, actor=actor, reason="Test", effective_from=today
    )


# Decided in the last year, processing days 10, 20, 30, 35, 50: median 30, 90th percentile
# 35 + 0.6 × (50 − 35) = 44 (linear interpolation), four within the six-week target.
PROCESSING_DAYS = (10, 20, 30, 35, 50)
EXPECTED_RENEWALS_BY_STATUS = {
    RenewalStatus.APPROVED: 4,  # 10, 20, 30 days, and one decided 400 days ago (outside)
    RenewalStatus.DENIED: 3,  # 35, 50 days, and one with no complete date (never counted)
    RenewalStatus.SUBMITTED: 1,
    RenewalStatus.IN_REVIEW: 1,
    RenewalStatus.RESUBMITTED: 1,
    RenewalStatus.DRAFT: 1,
    RenewalStatus.RETURNED: 1,
}
EXPECTED_WAITING = {"0-14": 1, "15-28": 1, "29-42": 0, "43+": 1}
EXPECTED_HISTOGRAM = {1: 1, 2: 1, 4: 1, 5: 1, 7: 1}  # week index -> applications


def _at_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def renewal(*, applicant, status, complete_on=None, decided_on=None):
    # The processing-time figures hinge on the recorded dates, which the services stamp with
    # "now"; a row with chosen dates is the honest way to get a known distribution.
    return RenewalApplication.objects.create(
        certification=certification(level=Level.EMT, expires_in=500),
        applicant=applicant,
        status=status,
        complete_on=complete_on,
        decided_at=_at_noon(decided_on) if decided_on else None,
    )


def seed_renewals(applicant):
    today = timezone.localdate()
    for index, days in enumerate(PROCESSING_DAYS):
        decided_on = today - timedelta(days=index * 3)
        status = RenewalStatus.APPROVED if days <= 30 else RenewalStatus.DENIED
        renewal(
            applicant=applicant,
            status=status,
            complete_on=decided_on - timedelta(days=days),
            decided_on=decided_on,
        )
    old = today - timedelta(days=400)
    renewal(
        applicant=applicant,
        status=RenewalStatus.APPROVED,
        complete_on=old - timedelta(days=5),
        decided_on=old,
    )
    renewal(applicant=applicant, status=RenewalStatus.DENIED, decided_on=today)
    renewal(applicant=applicant, status=RenewalStatus.SUBMITTED, complete_on=today - timedelta(5))
    renewal(applicant=applicant, status=RenewalStatus.IN_REVIEW, complete_on=today - timedelta(20))
    renewal(
        applicant=applicant, status=RenewalStatus.RESUBMITTED, complete_on=today - timedelta(50)
    )
    renewal(applicant=applicant, status=RenewalStatus.DRAFT)
    renewal(applicant=applicant, status=RenewalStatus.RETURNED, complete_on=today - timedelta(9))


EXPECTED_INSPECTIONS = {
    "overdue": 2,
    "due_this_month": 1,
    "due_next_30": 1,
    "failed": 1,
    "inspected": 5,
}


def seed_vehicles():
    today = timezone.localdate()
    organization = OrganizationFactory()
    # 40 days back is always an earlier month; today always this month; 45 days on never.
    VehicleFactory(organization=organization, next_inspection_due=today - timedelta(days=40))
    VehicleFactory(organization=organization, next_inspection_due=today - timedelta(days=400))
    VehicleFactory(organization=organization, next_inspection_due=today)
    VehicleFactory(organization=organization, next_inspection_due=today + timedelta(days=45))
    VehicleFactory(
        organization=organization,
        status=VehicleStatus.OUT_OF_SERVICE,
        last_inspection_result=InspectionResult.FAILED,
        next_inspection_due=today + timedelta(days=45),
    )
    VehicleFactory(  # retired: never counted
        organization=organization,
        status=VehicleStatus.RETIRED,
        next_inspection_due=today - timedelta(days=40),
    )
    VehicleFactory(
        organization=organization, status=VehicleStatus.PENDING, next_inspection_due=None
    )


RATE_YEAR = 2024
EXPECTED_FILINGS = {
    FilingStatus.SUBMITTED: 2,
    FilingStatus.APPROVED: 1,
    FilingStatus.DRAFT: 1,
}
EXPECTED_INVITED = 5
EXPECTED_NOT_FILED = 2  # the draft and the one with nothing


def seed_rates():
    season = RateYearFactory(year=RATE_YEAR, status=RateYearStatus.OPEN)
    last_year = RateYearFactory(year=RATE_YEAR - 1, status=RateYearStatus.CLOSED)
    organizations = [RatesOrganizationFactory() for _ in range(5)]
    for organization in organizations:
        RateInvitation.objects.create(year=season, organization=organization)
    first, second, third, fourth, _ = organizations
    filing(first, season, status=FilingStatus.SUBMITTED)
    filing(second, season, form="long", status=FilingStatus.SUBMITTED)
    filing(third, season, status=FilingStatus.APPROVED)
    filing(fourth, season, status=FilingStatus.DRAFT)
    filing(first, last_year, status=FilingStatus.APPROVED)  # another season: not counted


EXPECTED_ORGANIZATIONS = {"late_chief_reports": 2, "chief_reports_waiting": 3, "queue": 1}


def seed_organizations(admin_user, reviewer):
    today = timezone.localdate()
    organization = OrganizationFactory()

    def report(effective_days_ago):
        return organization_services.chief_report_submit(
            organization=organization,
            reported_by=admin_user,
            new_chief_name="Dana Chief",
            new_chief_email="dana@example.org",
            effective_date=today - timedelta(days=effective_days_ago),
            letterhead=SimpleUploadedFile("notice.pdf", PDF, content_type="application/pdf"),
        )

    report(30)  # late, waiting
    report(40)  # late, waiting
    report(0)  # on time, waiting
    accepted = report(50)  # late, but the office has accepted it
    organization_services.chief_report_accept(report=accepted, actor=reviewer)
    OrganizationApplication.objects.create(
        kind=ApplicationKind.RENEWAL,
        organization=organization,
        applicant=admin_user,
        status=ApplicationStatus.SUBMITTED,
    )
    OrganizationApplication.objects.create(  # waiting on the applicant: not the office's queue
        kind=ApplicationKind.RENEWAL, organization=organization, applicant=admin_user
    )


def seed(*, supervisor, org_admin, copies: int = 1):
    """The whole set, ``copies`` times (rates once: its figures are per season, per
    organization, so the larger set adds more organizations instead)."""
    for _ in range(copies):
        seed_certifications(supervisor)
        seed_renewals(org_admin)
        seed_vehicles()
        seed_organizations(org_admin, supervisor)
    seed_rates()
    for _ in range(copies - 1):
        season = RateYearFactory(year=RATE_YEAR, status=RateYearStatus.OPEN)
        for _ in range(5):
            organization = RatesOrganizationFactory()
            RateInvitation.objects.create(year=season, organization=organization)
            filing(organization, season, status=FilingStatus.SUBMITTED)
