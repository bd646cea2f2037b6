"""API: an organization's vehicles and inspections (its administrators only, by token), and
the staff inspection endpoints."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import api_token_create
from vehicles import services
from vehicles.models import Inspection, InspectionStatus, VehicleStatus

from .factories import OrganizationFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='test', second_factor=True)[1]}"
    )
    return client


def test_administrator_reads_their_organizations_vehicles_by_token(org_admin, organization):
    VehicleFactory.create_batch(2, organization=organization)
    VehicleFactory(organization=OrganizationFactory())
    client = token_client(org_admin)
    response = client.get(reverse("api-organization-vehicles", args=[organization.pk]))
    assert response.status_code == 200
    assert response.data["count"] == 2
    assert response.data["results"][0]["organization"] == organization.number
    assert client.get(reverse("api-my-vehicles")).data["count"] == 2


def test_another_organizations_vehicles_and_inspections_are_not_found(org_admin):
    other = OrganizationFactory()
    client = token_client(org_admin)
    assert client.get(reverse("api-organization-vehicles", args=[other.pk])).status_code == 404
    assert client.get(reverse("api-organization-inspections", args=[other.pk])).status_code == 404


def test_anonymous_requests_are_refused(organization):
    response = APIClient().get(reverse("api-organization-vehicles", args=[organization.pk]))
    assert response.status_code in (401, 403)


def test_organization_inspections_with_results(
    org_admin, vehicle, inspector, supervisor, checklist
):
    inspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    response = token_client(org_admin).get(
        reverse("api-organization-inspections", args=[vehicle.organization.pk])
    )
    assert response.data["results"][0]["id"] == inspection.pk
    assert response.data["results"][0]["status"] == "scheduled"


def test_organization_administrators_cannot_use_the_staff_endpoints(org_admin, vehicle, inspector):
    client = token_client(org_admin)
    assert client.get(reverse("api-inspections")).status_code == 403
    response = client.post(
        reverse("api-inspections"),
        {
            "vehicle": vehicle.pk,
            "scheduled_for": str(timezone.localdate()),
            "inspector": inspector.pk,
        },
    )
    assert response.status_code == 403
    assert not Inspection.objects.exists()


def test_staff_schedule_and_an_inspector_records_through_the_api(
    vehicle, inspector, supervisor, other_inspector, checklist
):
    staff = token_client(supervisor)
    response = staff.post(
        reverse("api-inspections"),
        {
            "vehicle": vehicle.pk,
            "scheduled_for": str(timezone.localdate()),
            "inspector": inspector.pk,
        },
    )
    assert response.status_code == 201, response.data
    pk = response.data["id"]

    # Scheduling the same vehicle again: the service's message, as a 400 on the field.
    again = staff.post(
        reverse("api-inspections"),
        {
            "vehicle": vehicle.pk,
            "scheduled_for": str(timezone.localdate()),
            "inspector": inspector.pk,
        },
    )
    assert again.status_code == 400
    assert "already has an inspection" in again.data["vehicle"][0]

    outsider = token_client(other_inspector)
    assert outsider.post(reverse("api-inspection-start", args=[pk])).status_code == 403

    client = token_client(inspector)
    assert client.get(reverse("api-inspections") + "?mine=true").data["count"] == 1
    started = client.post(reverse("api-inspection-start", args=[pk]))
    assert started.data["status"] == "in_progress"
    answers = started.data["answers"]
    incomplete = client.post(reverse("api-inspection-complete", args=[pk]))
    assert incomplete.status_code == 400
    assert incomplete.data["code"] == "unanswered"

    for index, answer in enumerate(answers):
        response = client.post(
            reverse("api-inspection-answer", args=[pk, answer["id"]]),
            {
                "result": "fail" if index == 0 else "pass",
                "note": "Siren weak" if index == 0 else "",
            },
        )
        assert response.status_code == 200
    bad = client.post(
        reverse("api-inspection-answer", args=[pk, answers[0]["id"]]), {"result": "x"}
    )
    assert bad.status_code == 400

    done = client.post(reverse("api-inspection-complete", args=[pk]))
    assert done.data["status"] == InspectionStatus.FAILED
    assert done.data["deficiency_count"] == 1
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.OUT_OF_SERVICE

    twice = client.post(reverse("api-inspection-complete", args=[pk]))
    assert twice.status_code == 400
    assert twice.data["code"] == "already_recorded"


def test_cancel_through_the_api(vehicle, inspector, supervisor):
    inspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    assert (
        token_client(inspector).get(reverse("api-inspection", args=[inspection.pk])).status_code
        == 200
    )
    response = token_client(supervisor).post(
        reverse("api-inspection-cancel", args=[inspection.pk]), {"reason": "Vehicle on a call"}
    )
    assert response.data["status"] == "cancelled"


def test_the_schema_lists_the_endpoints(client):
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/organizations/{organization_id}/vehicles/" in schema
    assert "/api/v1/inspections/{id}/complete/" in schema
