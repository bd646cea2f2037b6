"""The public complaint form: search, filing, bad input kept, honeypot, flood, double submit;
the subject's dashboard after a notice; staff file downloads."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from complaints import services
from complaints.constants import RATE_LIMIT
from complaints.models import AccessLog, Complaint
from organizations.models import Town

from .factories import file_complaint, investigating, pdf

pytestmark = pytest.mark.django_db
URL = reverse("complaints:file")


def form_data(**overrides):
    data = {
        "subject_query": "",
        "subject": "",
        "subject_description": "The driver of ambulance 7",
        "incident_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "incident_town": str(Town.objects.get(name="Hartford").pk),
        "incident_place": "Main Street",
        "category": "standard_of_care",
        "narrative": "They drove off with the lights on and no patient.",
        "complainant_name": "Casey",
        "complainant_email": "casey@example.net",
        "complainant_phone": "",
        "website": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_form_renders_with_the_anonymity_note(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert b"anonymous complaints cannot be followed up" in response.content


def test_search_shows_only_verify_fields_and_keeps_what_was_typed(client, certification):
    certification.provider.email = "secret@example.net"
    certification.provider.save()
    response = client.post(URL, form_data(subject_query="Medic", search="1", narrative="Kept"))
    body = response.content.decode()
    assert f"provider:{certification.number}" in body
    assert "Morgan Medic" in body
    assert "secret@example.net" not in body and "1 Main St" not in body
    assert "Kept" in body
    assert "usa-error-message" not in body  # a search judges nothing yet
    assert Complaint.objects.count() == 0


def test_filing_redirects_to_the_tracking_number(client, certification, mailoutbox):
    response = client.post(
        URL,
        form_data(subject=f"provider:{certification.number}", attachments=pdf()),
        follow=True,
    )
    complaint = Complaint.objects.get()
    assert complaint.certification == certification
    assert complaint.attachments.count() == 1
    assert complaint.tracking_number in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("complaints:filed")
    # Another browser sees no tracking number on the confirmation page.
    client.logout()
    client.cookies.clear()
    assert complaint.tracking_number not in client.get(reverse("complaints:filed")).content.decode()


def test_double_submit_files_once(client, certification):
    data = form_data(subject=f"provider:{certification.number}")
    client.post(URL, data)
    client.post(URL, data)
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"narrative": ""}, "Describe what happened."),
        ({"subject": "provider:E999999"}, "We could not find that provider"),
        ({"attachments": pdf("x.pdf", b"not a pdf at all")}, "must be a PDF, PNG or JPEG"),
        (
            {"incident_date": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "cannot be in the future",
        ),
    ],
)
def test_bad_input_shows_beside_the_field_and_keeps_the_rest(client, overrides, message):
    data = form_data(**overrides)
    response = client.post(URL, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "usa-error-message" in body
    assert "Casey" in body and "Main Street" in body
    assert Complaint.objects.count() == 0


def test_too_large_attachment_is_refused(client, settings):
    big = pdf("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(URL, form_data(attachments=big))
    assert "the limit is 10 MB" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_honeypot_files_nothing(client):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert Complaint.objects.count() == 0


def test_a_flood_from_one_address_is_throttled_and_keeps_the_text(client):
    for _ in range(RATE_LIMIT):
        client.post(URL, form_data())
    assert Complaint.objects.count() == RATE_LIMIT
    response = client.post(URL, form_data(narrative="Flood text kept"))
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many complaints" in body and "Flood text kept" in body
    assert Complaint.objects.count() == RATE_LIMIT


def test_subject_sees_nothing_until_a_notice_then_only_the_summary(
    client, make_user, certification, supervisor
):
    provider_user = make_user("morgan@example.net", role=roles.PROVIDER)
    certification.provider.user = provider_user
    certification.provider.save()
    complaint = file_complaint(certification=certification)
    client.force_login(provider_user)
    assert complaint.tracking_number not in client.get(reverse("core:dashboard")).content.decode()
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    services.complaint_issue_notice(complaint=complaint, actor=supervisor)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert complaint.tracking_number in body
    assert "Standard of care" in body
    assert "Casey" not in body and "casey@example.net" not in body
    assert "floor" not in body


def test_organization_administrator_sees_the_notice_of_their_organization(
    client, make_user, supervisor
):
    from tests.organizations.factories import OrganizationFactory

    administrator = make_user(role=roles.ORGANIZATION_ADMINISTRATOR)
    organization = OrganizationFactory()
    organization.administrators.add(administrator)
    complaint = file_complaint(organization=organization)
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    services.complaint_issue_notice(complaint=complaint, actor=supervisor)
    client.force_login(administrator)
    assert complaint.tracking_number in client.get(reverse("core:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.INVESTIGATOR, True),
        (roles.SUPERVISOR, True),
        (roles.LICENSING_REVIEWER, False),
        (roles.VEHICLE_INSPECTOR, False),
        (roles.RATES_ANALYST, False),
    ],
)
def test_attachment_download_is_for_complaint_staff_and_logged(
    staff_client, certification, role, allowed
):
    complaint = file_complaint(certification=certification, attachments=[pdf()])
    client = staff_client(role)
    url = complaint.attachments.get().file.url
    response = client.get(url)
    assert response.status_code == (200 if allowed else 404)
    assert AccessLog.objects.filter(complaint=complaint, user=client.user).exists() == allowed


def test_public_cannot_download_attachments(client, certification, supervisor, investigator):
    complaint = investigating(
        file_complaint(certification=certification, attachments=[pdf()]),
        supervisor=supervisor,
        investigator=investigator,
    )
    url = complaint.attachments.get().file.url
    assert client.get(url).status_code in (302, 404)
