from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from organizations import rules, services
from organizations.models import (
    ApplicationKind,
    ApplicationStatus,
    ChiefChangeReport,
    ChiefReportStatus,
    PrimaryServiceArea,
    PsaType,
    Town,
)
from tests.uploads import PDF

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _report(organization, user, *, effective, submitted):
    report = ChiefChangeReport(
        organization=organization,
        new_chief_name="Late Larry",
        new_chief_email="l@example.org",
        effective_date=effective,
        reported_by=user,
        submitted_on=submitted,
        due_on=rules.chief_change_due_date(effective),
    )
    report.letterhead.save("n.pdf", ContentFile(PDF), save=False)
    report.save()
    return report


def test_late_filter_and_accept_action(staff_client, make_user):
    client = staff_client(roles.LICENSING_REVIEWER)
    organization = OrganizationFactory()
    today = timezone.localdate()
    late = _report(organization, client.user, effective=today - timedelta(days=60), submitted=today)
    on_time = _report(organization, client.user, effective=today, submitted=today)
    url = reverse("admin:organizations_chiefchangereport_changelist")
    response = client.get(url, {"late": "yes"})
    assert f"/{late.pk}/change/" in response.text and f"/{on_time.pk}/change/" not in response.text
    client.post(url, {"action": "accept", "_selected_action": [late.pk]})
    late.refresh_from_db()
    assert late.status == ChiefReportStatus.ACCEPTED
    assert organization.people.get(until__isnull=True).full_name == "Late Larry"


def test_application_actions_and_filters(staff_client, make_user):
    client = staff_client(roles.LICENSING_REVIEWER)
    applicant = make_user()
    organization = OrganizationFactory(
        ownership="volunteer",
        credential_type="certificate",
        renewal_quarter=1,
        renewal_due_on=date(2026, 3, 31),
    )
    organization.administrators.add(applicant)
    application = services.application_create(
        kind=ApplicationKind.RENEWAL, applicant=applicant, organization=organization
    )
    services.application_submit(application=application, actor=applicant)
    url = reverse("admin:organizations_organizationapplication_changelist")
    assert f"/{application.pk}/change/" in client.get(url, {"queue": "waiting"}).text
    client.post(url, {"action": "approve", "_selected_action": [application.pk]})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED  # refused: not in review yet
    client.post(url, {"action": "start_review", "_selected_action": [application.pk]})
    client.post(url, {"action": "approve", "_selected_action": [application.pk]})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.history.first().history_user == client.user
    organizations_url = reverse("admin:organizations_organization_changelist")
    for params in (
        {"kind": "ambulance"},
        {"highest_level": "paramedic"},
        {"renewal": "soon"},
        {"renewal": "overdue"},
        {"psa_county": "hartford"},
    ):
        assert client.get(organizations_url, params).status_code == 200


def test_psa_add_form_shows_the_overlap_rule_beside_the_field(staff_client):
    client = staff_client(roles.LICENSING_REVIEWER)
    first, second = OrganizationFactory(), OrganizationFactory()
    town = Town.objects.get(name="Kent")
    services.psa_assign(
        town=town,
        psa_type=PsaType.BLS,
        organization=first,
        effective_from=date(2022, 1, 1),
        actor=client.user,
    )
    url = reverse("admin:organizations_primaryservicearea_add")
    data = {
        "town": town.pk,
        "psa_type": "bls",
        "organization": second.pk,
        "effective_from": "2021-01-01",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "must be after January 1, 2022" in response.text
    assert PrimaryServiceArea.objects.count() == 1
    response = client.post(url, {**data, "effective_from": "2024-01-01"})
    assert response.status_code == 302
    assert PrimaryServiceArea.objects.get(effective_until__isnull=True).organization == second


def test_organization_admin_is_not_staff_admin(client, make_user):
    user = make_user(role=roles.ORGANIZATION_ADMINISTRATOR)
    client.force_login(user)
    response = client.get(reverse("admin:organizations_organization_changelist"))
    assert response.status_code == 302
