"""The daily 'inspection due' email: once per vehicle and due date, however often it runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vehicles import rules, tasks
from vehicles.models import Inspection, InspectionDueNotice, VehicleStatus

from .factories import InspectionFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def test_due_notices_go_out_once_per_vehicle_and_due_date(organization, mailoutbox):
    today = timezone.localdate()
    due_soon = VehicleFactory(
        organization=organization, next_inspection_due=today + timedelta(days=10)
    )
    overdue = VehicleFactory(
        organization=organization, next_inspection_due=today - timedelta(days=3)
    )
    VehicleFactory(
        organization=organization,
        next_inspection_due=rules.due_notice_window_end(today) + timedelta(days=1),
    )  # not yet
    VehicleFactory(
        organization=organization, status=VehicleStatus.RETIRED, next_inspection_due=today
    )
    booked = VehicleFactory(organization=organization, next_inspection_due=today)

    InspectionFactory(vehicle=booked, inspector=organization.administrators.first())

    assert tasks.send_inspection_due_notices() == 2
    assert {message.subject.split("(")[1].rstrip(")") for message in mailoutbox} == {
        due_soon.vin,
        overdue.vin,
    }
    assert "due on" in mailoutbox[0].body
    assert tasks.send_inspection_due_notices() == 0  # the re-run sends nothing
    assert len(mailoutbox) == 2

    # A new due date (after the next pass) is a new notice.
    due_soon.next_inspection_due = today + timedelta(days=5)
    due_soon.save()
    assert tasks.send_inspection_due_notices() == 1
    assert InspectionDueNotice.objects.count() == 3


def test_a_claim_already_taken_sends_nothing(organization, mailoutbox):
    vehicle = VehicleFactory(organization=organization)
    InspectionDueNotice.objects.create(vehicle=vehicle, due_on=vehicle.next_inspection_due)
    # Another worker claimed it: calling the per-vehicle step directly is a no-op.
    assert tasks.send_inspection_due_notice(vehicle.pk) == 0
    assert mailoutbox == []


def test_a_failed_send_leaves_no_claim(organization, monkeypatch):
    VehicleFactory(organization=organization)

    def broken(vehicle):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(tasks.emails, "send_inspection_due", broken)
    with pytest.raises(ConnectionError):
        tasks.send_inspection_due_notices()
    assert not InspectionDueNotice.objects.exists()  # the next run tries again
    assert not Inspection.objects.exists()
