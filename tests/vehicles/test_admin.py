"""The staff admin: filters for due, overdue and failed vehicles, actions, CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vehicles.models import Inspection, Vehicle, VehicleStatus

from .factories import VehicleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet(organization):
    today = timezone.localdate()
    return {
        "overdue": VehicleFactory(
            organization=organization, next_inspection_due=today - timedelta(days=40)
        ),
        "this_month": VehicleFactory(organization=organization, next_inspection_due=today),
        "later": VehicleFactory(
            organization=organization, next_inspection_due=today + timedelta(days=200)
        ),
        "failed": VehicleFactory(
            organization=organization,
            status=VehicleStatus.OUT_OF_SERVICE,
            last_inspection_result="failed",
            next_inspection_due=today + timedelta(days=200),
        ),
        "pending": VehicleFactory(
            organization=organization, status=VehicleStatus.PENDING, next_inspection_due=None
        ),
    }


def listed(client, query, django_assert_max_num_queries=None):
    response = client.get(reverse("admin:vehicles_vehicle_changelist") + query)
    assert response.status_code == 200
    return {vehicle.vin for vehicle in response.context["cl"].result_list}


def test_filters(staff_client, supervisor, fleet):
    client = staff_client(user=supervisor)
    assert listed(client, "?due=overdue") == {fleet["overdue"].vin}
    assert fleet["this_month"].vin in listed(client, "?due=this_month")
    assert fleet["later"].vin not in listed(client, "?due=this_month")
    assert listed(client, "?last_result=failed") == {fleet["failed"].vin}
    assert listed(client, "?status__exact=pending") == {fleet["pending"].vin}


def test_organizations_are_searched_not_listed_in_the_sidebar(staff_client, supervisor, fleet):
    """Every organization with a vehicle was a sidebar link (20,000 at state scale): staff
    search by the organization's number instead, and a link with its id still filters."""
    client = staff_client(user=supervisor)
    elsewhere = VehicleFactory()
    organization = fleet["later"].organization
    response = client.get(reverse("admin:vehicles_vehicle_changelist"))
    assert f"organization__id__exact={organization.pk}" not in response.content.decode()
    assert listed(client, f"?q={organization.number}") == {v.vin for v in fleet.values()}
    assert listed(client, f"?organization__id__exact={elsewhere.organization_id}") == {
        elsewhere.vin
    }


def test_changelist_queries_do_not_grow_with_rows(
    staff_client, supervisor, organization, django_assert_max_num_queries
):
    client = staff_client(user=supervisor)
    VehicleFactory.create_batch(5, organization=organization)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("admin:vehicles_vehicle_changelist"))
    VehicleFactory.create_batch(30, organization=organization)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("admin:vehicles_vehicle_changelist"))


def test_approve_action_calls_the_service(staff_client, reviewer, fleet):
    client = staff_client(user=reviewer)
    client.post(
        reverse("admin:vehicles_vehicle_changelist"),
        {"action": "approve", "_selected_action": [fleet["pending"].pk, fleet["later"].pk]},
    )
    fleet["pending"].refresh_from_db()
    assert fleet["pending"].status == VehicleStatus.IN_SERVICE
    assert fleet["pending"].history.first().history_user == reviewer


def test_csv_export(staff_client, supervisor, fleet):
    client = staff_client(user=supervisor)
    response = client.post(
        reverse("admin:vehicles_vehicle_changelist"),
        {"action": "export_csv", "_selected_action": [vehicle.pk for vehicle in fleet.values()]},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][2] == "VIN"
    assert {row[2] for row in rows[1:]} == {vehicle.vin for vehicle in fleet.values()}


def test_scheduling_in_the_admin_runs_the_service_checks(
    staff_client, supervisor, inspector, reviewer, fleet
):
    client = staff_client(user=supervisor)
    url = reverse("admin:vehicles_inspection_add")
    response = client.post(
        url,
        {
            "vehicle": fleet["pending"].pk,
            "scheduled_for": str(timezone.localdate()),
            "inspector": reviewer.pk,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "vehicle" in errors
    assert not Inspection.objects.exists()

    response = client.post(
        url,
        {
            "vehicle": fleet["overdue"].pk,
            "scheduled_for": str(timezone.localdate()),
            "inspector": inspector.pk,
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.scheduled_by == supervisor
    assert inspection.inspector == inspector


def test_inspectors_cannot_add_vehicles_in_the_admin(staff_client, inspector):
    client = staff_client(user=inspector)
    assert client.get(reverse("admin:vehicles_vehicle_add")).status_code == 403
    assert Vehicle.objects.count() == 0
