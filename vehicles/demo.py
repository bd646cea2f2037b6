"""Demo vehicles and inspection histories over the organizations already seeded.

About 900 vehicles (the state's inspected fleet); with ``providers=N`` the fleet scales at ~900
per 20,000 providers. Histories mix passes, fails (vehicle out of service, re-inspection booked),
overdue vehicles and registrations waiting for approval. Everything is bulk-inserted from a
fixed random seed; a second run adds nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts import roles
from organizations.models import Organization, ServiceKind, ServiceLevel

from . import rules
from .models import (
    AnswerResult,
    ChecklistItem,
    Inspection,
    InspectionAnswer,
    InspectionKind,
    InspectionResult,
    InspectionStatus,
    Vehicle,
    VehicleStatus,
    VehicleType,
)
from .vin import with_check_digit

FLEET_PER_STATE = 900
PROVIDERS_PER_STATE = 20_000
VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
MODELS = [
    ("Ford", "E-450 Type III", "1FD"),
    ("Ford", "F-450 Type I", "1FD"),
    ("Chevrolet", "G4500 Type III", "1GB"),
    ("Ram", "ProMaster Type II", "3C6"),
    ("Mercedes-Benz", "Sprinter Type II", "W1Y"),
    ("Ford", "Transit Type II", "1FT"),
    ("Chevrolet", "Tahoe", "1GN"),
]
BATCH = 2000


def fleet_size(providers: int | None) -> int:
    if providers is None:
        return FLEET_PER_STATE
    return round(FLEET_PER_STATE * providers / PROVIDERS_PER_STATE)


def _vin(rng: random.Random, prefix: str, year: int) -> str:
    # Position 10 is the model-year code; letters skip I, O, Q, U, Z and the digit 0.
    year_codes = "ABCDEFGHJKLMNPRSTVWXY123456789"
    year_code = year_codes[(year - 2010) % len(year_codes)]
    body = prefix + "".join(rng.choice(VIN_ALPHABET) for _ in range(6)) + year_code
    body += "".join(rng.choice(VIN_ALPHABET) for _ in range(7))
    return with_check_digit(body)


def _type_and_level(rng: random.Random, organization: Organization) -> tuple[str, str]:
    if organization.kind == ServiceKind.FIRST_RESPONDER:
        return VehicleType.NON_TRANSPORT, organization.highest_level
    roll = rng.random()
    if roll < 0.06:
        return VehicleType.INVALID_COACH, ServiceLevel.BLS
    if organization.highest_level == ServiceLevel.PARAMEDIC and roll < 0.55:
        return VehicleType.ALS_AMBULANCE, ServiceLevel.PARAMEDIC
    return VehicleType.BLS_AMBULANCE, ServiceLevel.BLS


def seed(*, stdout, providers=None):
    organizations = list(Organization.objects.order_by("pk"))
    if not organizations:
        stdout.write("  vehicles: no organizations exist yet, so no vehicles were created")
        return
    target = fleet_size(providers)
    existing = Vehicle.objects.count()
    if existing >= target:
        stdout.write(f"  vehicles: {existing} vehicles already present; nothing added")
        return
    inspector = (
        Group.objects.get(name=roles.VEHICLE_INSPECTOR).user_set.order_by("pk").first()
        if Group.objects.filter(name=roles.VEHICLE_INSPECTOR).exists()
        else None
    )
    with transaction.atomic():
        created, inspections = _seed_fleet(organizations, target - existing, existing, inspector)
    stdout.write(
        f"  vehicles: {created} vehicles over {len(organizations)} organizations, "
        f"{inspections} inspections"
        + ("" if inspector else " (no vehicle inspector account, so no inspection histories)")
    )


def _seed_fleet(organizations, count, offset, inspector):
    rng = random.Random(6_000 + offset)
    today = timezone.localdate()
    taken = set(Vehicle.objects.values_list("vin", flat=True))
    vehicles = []
    plans = []  # per vehicle: (pass | overdue | failed | pending | retired, its history dates)
    for index in range(count):
        organization = organizations[(offset + index) % len(organizations)]
        make, model, prefix = rng.choice(MODELS)
        year = rng.randint(today.year - 12, today.year)
        vin = _vin(rng, prefix, year)
        while vin in taken:
            vin = _vin(rng, prefix, year)
        taken.add(vin)
        vehicle_type, level = _type_and_level(rng, organization)
        roll = rng.random()
        plan = (
            "pending"
            if roll < 0.03
            else "retired"
            if roll < 0.05
            else "failed"
            if roll < 0.10
            else "overdue"
            if roll < 0.18
            else "pass"
        )
        approved_on = today - timedelta(days=rng.randint(400, 3000))
        vehicle = Vehicle(
            organization=organization,
            vin=vin,
            make=make,
            model=model,
            year=year,
            plate=f"{organization.number.split('-')[0][:3]}{offset + index:05d}",
            vehicle_type=vehicle_type,
            service_level=level,
            status=VehicleStatus.PENDING if plan == "pending" else VehicleStatus.IN_SERVICE,
            approved_on=None if plan == "pending" else approved_on,
        )
        history = {}
        if plan == "retired":
            vehicle.status = VehicleStatus.RETIRED
        elif plan != "pending":
            last_pass = today - timedelta(
                days=rng.randint(370, 460) if plan == "overdue" else rng.randint(25, 360)
            )
            history["passed_on"] = last_pass
            history["sticker"] = f"{last_pass.year}-D{offset + index:06d}"
            vehicle.last_inspected_on = last_pass
            vehicle.last_inspection_result = InspectionResult.PASSED
            vehicle.sticker_number = history["sticker"]
            vehicle.sticker_expires_on = rules.sticker_expires_on(last_pass)
            vehicle.next_inspection_due = rules.next_inspection_due(
                last_passed_on=last_pass, approved_on=approved_on
            )
        if plan == "failed":  # failed its latest periodic inspection: out of service
            history["failed_on"] = today - timedelta(days=rng.randint(1, 20))
            vehicle.status = VehicleStatus.OUT_OF_SERVICE
            vehicle.last_inspected_on = history["failed_on"]
            vehicle.last_inspection_result = InspectionResult.FAILED
        vehicles.append(vehicle)
        plans.append((plan, history))
    Vehicle.objects.bulk_create(vehicles, batch_size=BATCH)
    # bulk_create returns primary keys on PostgreSQL and SQLite 3.35+; re-read to be sure.
    by_vin = dict(
        Vehicle.objects.filter(vin__in=[v.vin for v in vehicles]).values_list("vin", "pk")
    )
    for vehicle in vehicles:
        vehicle.pk = by_vin[vehicle.vin]
    if inspector is None:
        return len(vehicles), 0
    return len(vehicles), _seed_inspections(rng, vehicles, plans, inspector, today)


def _seed_inspections(rng, vehicles, plans, inspector, today):
    items_by_level = {
        level: list(ChecklistItem.objects.for_level(level)) for level in ServiceLevel.values
    }
    inspections, failures = [], []
    for vehicle, (_plan, history) in zip(vehicles, plans, strict=True):
        for key, status in (
            ("passed_on", InspectionStatus.PASSED),
            ("failed_on", InspectionStatus.FAILED),
        ):
            if key not in history:
                continue
            inspection = Inspection(
                vehicle=vehicle,
                kind=InspectionKind.PERIODIC,
                scheduled_for=history[key],
                inspector=inspector,
                status=status,
                started_at=_at(history[key], 9),
                completed_at=_at(history[key], 10),
                sticker_number=history["sticker"] if status == InspectionStatus.PASSED else "",
            )
            inspections.append(inspection)
            if status == InspectionStatus.FAILED:
                failures.append(inspection)
    Inspection.objects.bulk_create(inspections, batch_size=BATCH)
    failure_ids = dict(
        Inspection.objects.filter(
            vehicle__in=[f.vehicle for f in failures], status=InspectionStatus.FAILED
        ).values_list("vehicle_id", "pk")
    )
    answers = []
    for failure in failures:
        failure.pk = failure_ids[failure.vehicle.pk]
        items = items_by_level[failure.vehicle.service_level]
        failing = set(rng.sample(range(len(items)), k=min(len(items), rng.randint(1, 3))))
        for index, item in enumerate(items):
            answers.append(
                InspectionAnswer(
                    inspection_id=failure.pk,
                    item=item,
                    section=item.section,
                    category=item.category,
                    description=item.description,
                    quantity=item.quantity,
                    position=item.position,
                    result=AnswerResult.FAIL if index in failing else AnswerResult.PASS,
                    note="Missing or out of date" if index in failing else "",
                    answered_at=failure.completed_at,
                    answered_by=inspector,
                )
            )
    InspectionAnswer.objects.bulk_create(answers, batch_size=BATCH)
    # Today's field list for the demo inspector: re-inspections of failed vehicles and a few
    # periodic inspections of overdue ones.
    booked = [f.vehicle for f in failures[:3]] + [
        vehicle for vehicle, (plan, _) in zip(vehicles, plans, strict=True) if plan == "overdue"
    ][:4]
    scheduled = [
        Inspection(
            vehicle=vehicle,
            kind=(
                InspectionKind.REINSPECTION
                if vehicle.status == VehicleStatus.OUT_OF_SERVICE
                else InspectionKind.PERIODIC
            ),
            scheduled_for=today,
            inspector=inspector,
        )
        for vehicle in booked
    ]
    Inspection.objects.bulk_create(scheduled)
    return len(inspections) + len(scheduled)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))
