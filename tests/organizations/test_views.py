import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from organizations import services
from organizations.models import (
    ApplicationKind,
    ApplicationStatus,
    ChiefChangeReport,
    OrganizationApplication,
    OrganizationPerson,
    PersonRole,
    PsaType,
    Town,
)
from tests.uploads import PDF

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(org_admin):
    organization = OrganizationFactory(legal_name="Mine Ambulance")
    organization.administrators.add(org_admin)
    return organization


@pytest.fixture
def theirs():
    return OrganizationFactory(legal_name="Their Ambulance")


def _with_psas(reviewer, organizations):
    for index, town in enumerate(Town.objects.order_by("name")[:30]):
        services.psa_assign(
            town=town,
            psa_type=PsaType.BLS,
            organization=organizations[index % len(organizations)],
            effective_from=date(2020, 1, 1),
            actor=reviewer,
        )


def test_public_pages_list_organizations_psas_and_idos(
    client, make_user, mine, theirs, django_assert_max_num_queries
):
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    _with_psas(reviewer, [mine, theirs])
    services.person_set(
        organization=mine,
        role=PersonRole.IDO,
        full_name="Ida Officer",
        email="ida@example.org",
        actor=reviewer,
    )
    with django_assert_max_num_queries(12):
        response = client.get(reverse("organizations:directory"))
    assert "Mine Ambulance" in response.text and "Andover" in response.text
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organizations:psa-by-town"))
    assert response.text.count('<th scope="row" data-label="Town">') == 169
    with django_assert_max_num_queries(10):
        response = client.get(reverse("organizations:psa-by-organization"))
    assert "Their Ambulance" in response.text
    response = client.get(reverse("organizations:psa-by-town"), {"on": "2019-06-01"})
    assert "Mine Ambulance" not in response.text
    assert "Ida Officer" in client.get(reverse("organizations:ido-list")).text
    rows = list(csv.reader(io.StringIO(client.get(reverse("organizations:ido-list-csv")).text)))
    assert rows[1][1:3] == ["Mine Ambulance", "Ida Officer"]


def test_an_administrator_sees_only_their_own_organization(
    client, org_admin, mine, theirs, make_user
):
    client.force_login(org_admin)
    assert client.get(reverse("organizations:manage", args=[mine.pk])).status_code == 200
    for name in ["manage", "edit-contact", "person-add", "chief-report", "transfer"]:
        assert client.get(reverse(f"organizations:{name}", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("organizations:edit-contact", args=[theirs.pk]), {"email": "hijack@example.org"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.email != "hijack@example.org"
    other_application = OrganizationApplication.objects.create(
        kind=ApplicationKind.RENEWAL, organization=theirs, applicant=make_user()
    )
    assert client.get(other_application.get_absolute_url()).status_code == 404
    url = reverse("organizations:application-new", args=["renewal"])
    assert client.get(url, {"organization": theirs.pk}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, mine):
    response = client.get(reverse("organizations:manage", args=[mine.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_edit_contact_details(client, org_admin, mine):
    client.force_login(org_admin)
    response = client.post(
        reverse("organizations:edit-contact", args=[mine.pk]),
        {
            "email": "new@org.example.org",
            "phone": "860-555-0000",
            "street": "2 Elm St",
            "city": "Hartford",
            "postal_code": "06103",
            "doing_business_as": "",
            "mailing_address": "",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.email == "new@org.example.org"
    assert mine.history.first().history_user == org_admin


def test_link_pages_refuse_a_wrong_pin_beside_the_field(
    client, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(number="AMB-0321")
    user = make_user()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organizations:link"), {"number": "amb-0321"})
    assert response.status_code == 302
    pin = re.search(r"PIN is: (\d{6})", mailoutbox[0].body).group(1)
    wrong = "000000" if pin != "000000" else "111111"
    response = client.post(
        reverse("organizations:link-confirm"), {"number": "AMB-0321", "pin": wrong}
    )
    assert 'id="id_pin-error"' in response.text and "not correct" in response.text
    response = client.post(
        reverse("organizations:link-confirm"), {"number": "AMB-0321", "pin": pin}
    )
    assert response.status_code == 302
    assert organization.administrators.filter(pk=user.pk).exists()
    response = client.post(
        reverse("organizations:link-confirm"), {"number": "AMB-0321", "pin": pin}
    )
    assert "already been used" in response.text


def test_chief_report_upload_computes_due_date(client, org_admin, mine):
    client.force_login(org_admin)
    effective = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("organizations:chief-report", args=[mine.pk]),
        {
            "new_chief_name": "Dana Chief",
            "new_chief_email": "dana@example.org",
            "effective_date": effective.isoformat(),
            "letterhead": SimpleUploadedFile("notice.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    report = ChiefChangeReport.objects.get()
    assert report.letterhead.name.endswith(".pdf") and report.due_on > effective


def test_chief_report_refuses_other_file_types_and_keeps_input(client, org_admin, mine):
    client.force_login(org_admin)
    response = client.post(
        reverse("organizations:chief-report", args=[mine.pk]),
        {
            "new_chief_name": "Dana Chief",
            "new_chief_email": "dana@example.org",
            "effective_date": timezone.localdate().isoformat(),
            "letterhead": SimpleUploadedFile("notice.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert response.status_code == 200 and 'id="id_letterhead-error"' in response.text
    assert 'value="Dana Chief"' in response.text
    assert not ChiefChangeReport.objects.exists()


def test_application_draft_keeps_what_was_typed_and_submit_says_what_is_missing(client, org_admin):
    client.force_login(org_admin)
    response = client.post(
        reverse("organizations:application-new", args=["new_organization"]),
        {"legal_name": "Half Done EMS"},
    )
    application = OrganizationApplication.objects.get()
    assert response["Location"] == application.get_absolute_url()
    response = client.post(
        application.get_absolute_url(),
        {"legal_name": "Half Done EMS", "city": "Kent", "submit": "1"},
    )
    assert 'id="id_service_kind-error"' in response.text
    assert 'id="id_ownership-error"' in response.text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.city == "Kent"


def test_renewal_page_shows_the_fee(client, org_admin, mine):
    client.force_login(org_admin)
    client.post(
        reverse("organizations:application-new", args=["renewal"]) + f"?organization={mine.pk}",
        {"description": ""},
    )
    application = OrganizationApplication.objects.get()
    client.post(application.get_absolute_url(), {"description": "", "submit": "1"})
    client.post(application.get_absolute_url(), {"description": "", "submit": "1"})  # twice
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FEE_DUE
    response = client.get(application.get_absolute_url())
    assert "Annual license fee due: $300.00" in response.text


def test_contacts_csv_is_staff_only(client, staff_client, org_admin, mine):
    OrganizationPerson.objects.create(
        organization=mine,
        role=PersonRole.CONTACT,
        full_name="Casey Contact",
        email="casey@example.org",
    )
    url = reverse("organizations:contacts-csv")
    client.force_login(org_admin)
    assert client.get(url).status_code in (302, 403)
    client.logout()
    response = staff_client(roles.LICENSING_REVIEWER).get(url)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "organization_number"
    assert rows[1][1:4] == ["Mine Ambulance", "Contact", "Casey Contact"]


def test_dashboard_panel_lists_my_organizations(client, org_admin, mine, theirs):
    client.force_login(org_admin)
    response = client.get(reverse("core:dashboard"))
    assert "Mine Ambulance" in response.text and "Their Ambulance" not in response.text
