"""The admin: attestation filters, nomination review actions by role, publishing."""

from datetime import date, timedelta

import pytest

from accounts import roles
from information.models import NominationStatus, Publication

from .factories import (
    HospitalFactory,
    NominationFactory,
    PublicationFactory,
    StrokeCertificationFactory,
)

pytestmark = pytest.mark.django_db

CERTIFICATIONS = "/admin/information/strokecertification/"
NOMINATIONS = "/admin/information/nomination/"


@pytest.fixture
def certifications():
    today = date.today()
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Soon"), attestation_expires=today + timedelta(days=90)
    )
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Later"), attestation_expires=today + timedelta(days=91)
    )
    StrokeCertificationFactory(
        hospital=HospitalFactory(name="Gone"), attestation_expires=today - timedelta(days=1)
    )


def listed(response):
    return sorted(obj.hospital.name for obj in response.context["cl"].result_list)


def test_expires_soon_and_expired_filters(staff_client, certifications):
    client = staff_client(roles.SUPERVISOR)
    assert listed(client.get(CERTIFICATIONS, {"attestation": "expires_soon"})) == ["Soon"]
    assert listed(client.get(CERTIFICATIONS, {"attestation": "expired"})) == ["Gone"]
    response = client.get(CERTIFICATIONS)
    assert "Expires soon (90 days)" in response.content.decode()


def test_reviewers_may_read_certifications_but_not_change_them(staff_client, certifications):
    client = staff_client(roles.LICENSING_REVIEWER)
    assert client.get(CERTIFICATIONS).status_code == 200
    assert client.get(CERTIFICATIONS + "add/").status_code == 403


def test_other_staff_roles_do_not_see_hospitals(staff_client):
    client = staff_client(roles.VEHICLE_INSPECTOR)
    assert client.get(CERTIFICATIONS).status_code == 403


def run_action(client, action, nominations):
    return client.post(
        NOMINATIONS,
        {"action": action, "_selected_action": [n.pk for n in nominations]},
        follow=True,
    )


def test_supervisor_shortlists_and_records_a_recipient(staff_client):
    client = staff_client(roles.SUPERVISOR)
    nomination = NominationFactory()
    run_action(client, "shortlist", [nomination])
    run_action(client, "select_recipient", [nomination])
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RECIPIENT
    record = nomination.history.order_by("-history_id").first()
    assert record.history_user == client.user


def test_a_refused_action_says_why_and_changes_nothing(staff_client):
    client = staff_client(roles.SUPERVISOR)
    nomination = NominationFactory()
    response = run_action(client, "select_recipient", [nomination])
    assert "cannot move from Received to Recipient" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RECEIVED


def test_a_reviewer_without_the_change_permission_cannot_decide(staff_client):
    client = staff_client(roles.LICENSING_REVIEWER)
    nomination = NominationFactory()
    page = client.get(NOMINATIONS)
    assert page.status_code == 200
    assert b'value="shortlist"' not in page.content
    run_action(client, "shortlist", [nomination])
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RECEIVED


def test_status_is_read_only_on_the_change_form(staff_client):
    client = staff_client(roles.SUPERVISOR)
    nomination = NominationFactory()
    response = client.get(f"{NOMINATIONS}{nomination.pk}/change/")
    assert "status" not in response.context["adminform"].form.fields


def test_publish_action_is_audited(staff_client):
    client = staff_client(roles.SUPERVISOR)
    publication = PublicationFactory(is_published=False)
    client.post(
        "/admin/information/publication/",
        {"action": "publish", "_selected_action": [publication.pk]},
    )
    publication.refresh_from_db()
    assert publication.is_published
    record = publication.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (client.user, "Published")


def test_only_supervisors_publish(staff_client):
    client = staff_client(roles.RATES_ANALYST)
    assert client.get("/admin/information/publication/add/").status_code == 403
    assert not Publication.objects.exists()


def test_every_admin_page_opens_for_a_supervisor(staff_client, certifications):
    client = staff_client(roles.SUPERVISOR)
    nomination = NominationFactory()
    publication = PublicationFactory()
    hospital = HospitalFactory()
    pages = [
        "/admin/information/hospital/",
        "/admin/information/hospital/add/",
        f"/admin/information/hospital/{hospital.pk}/change/",
        "/admin/information/strokecertification/add/",
        "/admin/information/traumadesignation/",
        "/admin/information/traumadesignation/?designation=ended",
        "/admin/information/attestationwarning/",
        "/admin/information/awardcategory/",
        "/admin/information/nominationperiod/add/",
        f"/admin/information/nomination/{nomination.pk}/history/",
        f"/admin/information/publication/{publication.pk}/change/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
