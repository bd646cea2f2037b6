"""Vehicle and inspection services: every transition allowed and refused, with audit rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.transitions import status_timeline
from vehicles import rules, services
from vehicles.models import (
    AnswerResult,
    Inspection,
    InspectionKind,
    InspectionStatus,
    Vehicle,
    VehicleStatus,
)

from .factories import VehicleFactory, valid_vin

pytestmark = pytest.mark.django_db


def register(organization, actor, **overrides):
    fields = {
        "organization": organization,
        "actor": actor,
        "vin": "1HGCM82633A004352",
        "make": "Ford",
        "model": "E-450",
        "year": 2023,
        "plate": "amb 101",
        "vehicle_type": "bls_ambulance",
        "service_level": "bls",
    }
    fields.update(overrides)
    return services.vehicle_register(**fields)


# --- registration -----------------------------------------------------------------------------


def test_administrator_registers_a_vehicle_pending_approval(organization, org_admin):
    vehicle = register(organization, org_admin, vin="1hgcm826-33a004352")
    assert vehicle.status == VehicleStatus.PENDING
    assert vehicle.vin == "1HGCM82633A004352"
    assert vehicle.plate == "AMB 101"
    record = vehicle.history.get()
    assert record.history_user == org_admin
    assert record.history_change_reason == "Registered"


def test_someone_else_cannot_register_for_the_organization(organization, make_user):
    stranger = make_user(role="organization administrator")
    with pytest.raises(DomainError) as raised:
        register(organization, stranger)
    assert raised.value.code == "forbidden"
    assert not Vehicle.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"vin": "1HGCM82643A004352"}, "vin", "check digit"),
        ({"vin": "1HGCM82633A00435"}, "vin", "17 characters"),
        ({"year": timezone.localdate().year + 2}, "year", "cannot be later than"),
        ({"year": 1975}, "year", "17-character VIN"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    organization, org_admin, overrides, field, words
):
    with pytest.raises(DomainError) as raised:
        register(organization, org_admin, **overrides)
    assert raised.value.field == field
    assert words in raised.value.message
    assert not Vehicle.objects.exists()


def test_next_model_year_is_accepted(organization, org_admin):
    vehicle = register(organization, org_admin, year=timezone.localdate().year + 1)
    assert vehicle.year == timezone.localdate().year + 1


def test_a_duplicate_vin_is_refused(organization, org_admin):
    register(organization, org_admin)
    with pytest.raises(DomainError) as raised:
        register(organization, org_admin, plate="OTHER")
    assert raised.value.field == "vin"
    assert "already registered" in raised.value.message
    assert Vehicle.objects.count() == 1


def test_staff_approve_and_the_initial_inspection_is_due_at_once(organization, org_admin, reviewer):
    vehicle = register(organization, org_admin)
    services.vehicle_approve(vehicle=vehicle, actor=reviewer)
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.IN_SERVICE
    assert vehicle.next_inspection_due == timezone.localdate()
    timeline = status_timeline(vehicle)
    assert [(entry.old, entry.new) for entry in timeline] == [
        (None, "pending"),
        ("pending", "in_service"),
    ]
    assert timeline[-1].actor == reviewer


def test_an_administrator_cannot_approve_their_own_vehicle(organization, org_admin):
    vehicle = register(organization, org_admin)
    with pytest.raises(DomainError):
        services.vehicle_approve(vehicle=vehicle, actor=org_admin)
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.PENDING


def test_refuse_needs_a_reason_and_is_final(organization, org_admin, reviewer):
    vehicle = register(organization, org_admin)
    with pytest.raises(DomainError):
        services.vehicle_refuse(vehicle=vehicle, actor=reviewer, reason=" ")
    services.vehicle_refuse(vehicle=vehicle, actor=reviewer, reason="Not owned by the service")
    with pytest.raises(DomainError) as raised:
        services.vehicle_approve(vehicle=vehicle, actor=reviewer)
    assert raised.value.code == "invalid_transition"


def test_retire_refuses_with_an_open_inspection(vehicle, inspector, supervisor):
    services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    with pytest.raises(DomainError):
        services.vehicle_retire(vehicle=vehicle, actor=supervisor)
    Inspection.objects.update(status=InspectionStatus.CANCELLED)
    services.vehicle_retire(vehicle=vehicle, actor=supervisor)
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.RETIRED
    assert vehicle.next_inspection_due is None


# --- scheduling ---------------------------------------------------------------------------------


def test_schedule_assigns_an_inspector_and_picks_the_kind(vehicle, inspector, supervisor):
    inspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    assert inspection.status == InspectionStatus.SCHEDULED
    assert inspection.kind == InspectionKind.INITIAL
    assert inspection.history.get().history_user == supervisor


@pytest.mark.parametrize(
    ("setup", "field"),
    [
        ("pending_vehicle", "vehicle"),
        ("not_an_inspector", "inspector"),
        ("past_date", "scheduled_for"),
        ("already_scheduled", "vehicle"),
    ],
)
def test_schedule_refusals(vehicle, inspector, supervisor, reviewer, setup, field):
    day, assignee = timezone.localdate(), inspector
    if setup == "pending_vehicle":
        vehicle = VehicleFactory(status=VehicleStatus.PENDING)
    elif setup == "not_an_inspector":
        assignee = reviewer
    elif setup == "past_date":
        day -= timedelta(days=1)
    else:
        services.inspection_schedule(
            vehicle=vehicle, scheduled_for=day, inspector=inspector, actor=supervisor
        )
    before = Inspection.objects.count()
    with pytest.raises(DomainError) as raised:
        services.inspection_schedule(
            vehicle=vehicle, scheduled_for=day, inspector=assignee, actor=supervisor
        )
    assert raised.value.field == field
    assert Inspection.objects.count() == before


def test_an_organization_administrator_cannot_schedule(vehicle, inspector, org_admin):
    with pytest.raises(DomainError) as raised:
        services.inspection_schedule(
            vehicle=vehicle,
            scheduled_for=timezone.localdate(),
            inspector=inspector,
            actor=org_admin,
        )
    assert raised.value.code == "forbidden"


# --- recording ----------------------------------------------------------------------------------


@pytest.fixture
def scheduled(vehicle, inspector, supervisor, checklist):
    return services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )


def answer_all(inspection, actor, *, fail_first=False):
    for index, answer in enumerate(inspection.answers.order_by("pk")):
        failing = fail_first and index == 0
        services.inspection_answer(
            answer=answer,
            actor=actor,
            result=AnswerResult.FAIL if failing else AnswerResult.PASS,
            note="Bag cracked" if failing else "",
        )


def test_start_copies_the_level_list_and_the_mechanical_checklist(scheduled, inspector, checklist):
    services.inspection_start(inspection=scheduled, actor=inspector)
    descriptions = set(scheduled.answers.values_list("description", flat=True))
    assert descriptions == {
        "Bag-valve-mask",
        "AED",
        "Portable oxygen",
        "Brakes",
        "Lights",
    }  # the paramedic-only item is not on a BLS vehicle's list
    assert scheduled.answers.get(description="Bag-valve-mask").quantity == 3
    # Starting twice is harmless and copies nothing again.
    services.inspection_start(inspection=scheduled, actor=inspector)
    assert scheduled.answers.count() == 5


def test_a_paramedic_vehicle_gets_the_paramedic_list(
    organization, inspector, supervisor, checklist
):
    vehicle = VehicleFactory(organization=organization, service_level="paramedic")
    inspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    services.inspection_start(inspection=inspection, actor=inspector)
    assert set(inspection.answers.values_list("description", flat=True)) == {
        "Cardiac monitor",
        "Brakes",
        "Lights",
    }


def test_only_the_assigned_inspector_records(scheduled, other_inspector, supervisor):
    with pytest.raises(DomainError) as raised:
        services.inspection_start(inspection=scheduled, actor=other_inspector)
    assert raised.value.code == "forbidden"
    services.inspection_start(inspection=scheduled, actor=supervisor)  # supervisors may
    assert Inspection.objects.get().status == InspectionStatus.IN_PROGRESS


def test_complete_with_unanswered_items_says_how_many_and_changes_nothing(scheduled, inspector):
    services.inspection_start(inspection=scheduled, actor=inspector)
    first = scheduled.answers.order_by("pk").first()
    services.inspection_answer(answer=first, actor=inspector, result=AnswerResult.PASS)
    with pytest.raises(DomainError) as raised:
        services.inspection_complete(inspection=scheduled, actor=inspector)
    assert raised.value.code == "unanswered"
    assert "4 checklist items are not answered" in raised.value.message
    scheduled.refresh_from_db()
    assert scheduled.status == InspectionStatus.IN_PROGRESS
    assert scheduled.vehicle.status == VehicleStatus.IN_SERVICE
    # The answer already given is kept.
    first.refresh_from_db()
    assert first.result == AnswerResult.PASS


def test_a_failed_item_needs_a_note(scheduled, inspector):
    services.inspection_start(inspection=scheduled, actor=inspector)
    for answer in scheduled.answers.all():
        services.inspection_answer(answer=answer, actor=inspector, result=AnswerResult.FAIL)
    with pytest.raises(DomainError) as raised:
        services.inspection_complete(inspection=scheduled, actor=inspector)
    assert raised.value.code == "undescribed_deficiency"


def test_an_unknown_result_is_refused(scheduled, inspector):
    services.inspection_start(inspection=scheduled, actor=inspector)
    with pytest.raises(DomainError) as raised:
        services.inspection_answer(
            answer=scheduled.answers.first(), actor=inspector, result="maybe"
        )
    assert raised.value.field == "result"


def test_fail_then_reinspection_pass_issues_the_sticker(
    scheduled, inspector, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    vehicle = scheduled.vehicle
    services.inspection_start(inspection=scheduled, actor=inspector)
    answer_all(scheduled, inspector, fail_first=True)
    with django_capture_on_commit_callbacks(execute=True):
        failed = services.inspection_complete(inspection=scheduled, actor=inspector)

    assert failed.status == InspectionStatus.FAILED
    assert failed.sticker_number == ""
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.OUT_OF_SERVICE
    assert vehicle.last_inspection_result == "failed"
    assert vehicle.sticker_number == ""
    timeline = status_timeline(vehicle)
    assert (timeline[-1].old, timeline[-1].new) == ("in_service", "out_of_service")
    assert timeline[-1].actor == inspector
    assert f"#{failed.pk}" in timeline[-1].reason
    # The organization is told, once, with the deficiency.
    assert len(mailoutbox) == 1
    assert "out of service" in mailoutbox[0].subject
    assert "Bag cracked" in mailoutbox[0].body
    assert set(mailoutbox[0].to) == {vehicle.organization.email, "chief@ambulance.example.org"}

    # Re-inspection: the kind follows from the vehicle being out of service.
    reinspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    assert reinspection.kind == InspectionKind.REINSPECTION
    services.inspection_start(inspection=reinspection, actor=inspector)
    answer_all(reinspection, inspector)
    with django_capture_on_commit_callbacks(execute=True):
        passed = services.inspection_complete(inspection=reinspection, actor=inspector)

    today = timezone.localdate()
    assert passed.status == InspectionStatus.PASSED
    assert passed.sticker_number == rules.sticker_number(passed_on=today, inspection_id=passed.pk)
    vehicle.refresh_from_db()
    assert vehicle.status == VehicleStatus.IN_SERVICE
    assert vehicle.sticker_number == passed.sticker_number
    assert vehicle.sticker_expires_on == rules.sticker_expires_on(today)
    assert vehicle.next_inspection_due == rules.next_inspection_due(
        last_passed_on=today, approved_on=None
    )
    assert (status_timeline(vehicle)[-1].old, status_timeline(vehicle)[-1].new) == (
        "out_of_service",
        "in_service",
    )
    assert len(mailoutbox) == 1  # a pass sends no failure email
    inspection_timeline = status_timeline(passed)
    assert [entry.new for entry in inspection_timeline] == ["scheduled", "in_progress", "passed"]


def test_a_periodic_pass_keeps_the_vehicle_in_service_and_renews_the_sticker(scheduled, inspector):
    services.inspection_start(inspection=scheduled, actor=inspector)
    answer_all(scheduled, inspector)
    services.inspection_complete(inspection=scheduled, actor=inspector)
    vehicle = Vehicle.objects.get()
    assert vehicle.status == VehicleStatus.IN_SERVICE
    assert vehicle.sticker_number
    assert vehicle.history.first().history_change_reason == "Passed inspection"


def test_not_applicable_items_do_not_fail_an_inspection(scheduled, inspector):
    services.inspection_start(inspection=scheduled, actor=inspector)
    for answer in scheduled.answers.all():
        services.inspection_answer(
            answer=answer, actor=inspector, result=AnswerResult.NOT_APPLICABLE
        )
    assert (
        services.inspection_complete(inspection=scheduled, actor=inspector).status
        == InspectionStatus.PASSED
    )


def test_an_inspection_recorded_twice_is_refused_and_nothing_changes(scheduled, inspector):
    services.inspection_start(inspection=scheduled, actor=inspector)
    answer_all(scheduled, inspector, fail_first=True)
    services.inspection_complete(inspection=scheduled, actor=inspector)
    history_rows = scheduled.history.count()
    with pytest.raises(DomainError) as raised:
        services.inspection_complete(inspection=scheduled, actor=inspector)
    assert raised.value.code == "already_recorded"
    assert "already recorded as failed" in raised.value.message
    with pytest.raises(DomainError):
        services.inspection_answer(
            answer=scheduled.answers.first(), actor=inspector, result=AnswerResult.PASS
        )
    assert scheduled.history.count() == history_rows
    assert scheduled.answers.filter(result=AnswerResult.FAIL).count() == 1


def test_cancel_needs_a_reason_and_a_recorded_inspection_cannot_be_cancelled(
    scheduled, inspector, supervisor
):
    with pytest.raises(DomainError):
        services.inspection_cancel(inspection=scheduled, actor=supervisor, reason="")
    services.inspection_cancel(inspection=scheduled, actor=supervisor, reason="Vehicle on a call")
    scheduled.refresh_from_db()
    assert scheduled.status == InspectionStatus.CANCELLED
    with pytest.raises(DomainError) as raised:
        services.inspection_start(inspection=scheduled, actor=inspector)
    assert raised.value.code == "cancelled"


def test_a_recorded_inspection_cannot_be_cancelled(scheduled, inspector, supervisor):
    services.inspection_start(inspection=scheduled, actor=inspector)
    answer_all(scheduled, inspector)
    services.inspection_complete(inspection=scheduled, actor=inspector)
    with pytest.raises(DomainError) as raised:
        services.inspection_cancel(inspection=scheduled, actor=supervisor, reason="Oops")
    assert raised.value.code == "already_recorded"


def test_checklist_edits_do_not_change_a_started_inspection(scheduled, inspector, checklist):
    services.inspection_start(inspection=scheduled, actor=inspector)
    item = checklist["bls"][0]
    item.description = "Renamed later"
    item.save()
    assert scheduled.answers.filter(description="Bag-valve-mask").exists()


def test_the_factory_vins_are_valid():
    from vehicles.vin import validate_vin

    assert validate_vin(valid_vin(7)) == valid_vin(7)
