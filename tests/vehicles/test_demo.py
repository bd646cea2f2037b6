"""The demo fleet: spread over existing organizations, histories of every kind, idempotent."""

import io

import pytest

from accounts.demo import seed as seed_accounts
from vehicles import demo
from vehicles.models import Inspection, InspectionStatus, Vehicle, VehicleStatus
from vehicles.vin import validate_vin

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_without_organizations_nothing_is_created_and_it_says_so():
    out = io.StringIO()
    demo.seed(stdout=out, providers=None)
    assert Vehicle.objects.count() == 0
    assert "no organizations" in out.getvalue()


def test_state_scale_fleet_with_histories_and_idempotent(django_assert_max_num_queries):
    seed_accounts(stdout=io.StringIO())
    OrganizationFactory.create_batch(12)
    OrganizationFactory(kind="first_responder", number="EFR-0001")
    out = io.StringIO()
    with django_assert_max_num_queries(60):  # bulk inserts: not one query per vehicle
        demo.seed(stdout=out, providers=4000)
    vehicles = Vehicle.objects.all()
    assert vehicles.count() == demo.fleet_size(4000) == 180
    assert vehicles.values("organization").distinct().count() == 13
    statuses = set(vehicles.values_list("status", flat=True))
    assert {
        VehicleStatus.IN_SERVICE,
        VehicleStatus.OUT_OF_SERVICE,
        VehicleStatus.PENDING,
    } <= statuses
    assert all(validate_vin(vin) == vin for vin in vehicles.values_list("vin", flat=True))
    from django.utils import timezone

    assert Vehicle.objects.overdue(today=timezone.localdate()).exists()
    assert Inspection.objects.filter(status=InspectionStatus.FAILED).exists()
    failed = Inspection.objects.filter(status=InspectionStatus.FAILED).first()
    assert failed.answers.filter(result="fail").exists()
    assert failed.vehicle.status == VehicleStatus.OUT_OF_SERVICE
    assert Inspection.objects.filter(
        status=InspectionStatus.SCHEDULED, scheduled_for=timezone.localdate()
    ).exists()
    assert Vehicle.objects.filter(vehicle_type="non_transport").exists()

    demo.seed(stdout=io.StringIO(), providers=4000)
    assert Vehicle.objects.count() == 180
