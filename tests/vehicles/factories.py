"""Factories for the vehicles tests. Organizations come from a factory of our own, so these
tests do not depend on the Organizations app's test code."""

import random
from datetime import timedelta

import factory
from django.utils import timezone

from organizations.models import (
    CredentialType,
    Organization,
    Ownership,
    ServiceKind,
    ServiceLevel,
)
from vehicles.models import (
    ChecklistItem,
    ChecklistSection,
    Inspection,
    InspectionKind,
    Vehicle,
    VehicleStatus,
    VehicleType,
)
from vehicles.vin import with_check_digit

VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def valid_vin(seed: int) -> str:
    rng = random.Random(seed)
    body = "1FD" + "".join(rng.choice(VIN_ALPHABET) for _ in range(14))
    return with_check_digit(body)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Town {n} Ambulance Corps")
    number = factory.Sequence(lambda n: f"AMB-{n:04d}")
    kind = ServiceKind.AMBULANCE
    ownership = Ownership.VOLUNTEER
    credential_type = CredentialType.CERTIFICATE
    highest_level = ServiceLevel.PARAMEDIC
    email = factory.Sequence(lambda n: f"chief{n}@ambulance.example.org")

    @factory.post_generation
    def administrators(self, create, extracted, **kwargs):
        if create and extracted:
            self.administrators.add(*extracted)


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle

    organization = factory.SubFactory(OrganizationFactory)
    vin = factory.Sequence(valid_vin)
    make = "Ford"
    model = "E-450"
    year = 2022
    plate = factory.Sequence(lambda n: f"AMB{n:04d}")
    vehicle_type = VehicleType.BLS_AMBULANCE
    service_level = ServiceLevel.BLS
    status = VehicleStatus.IN_SERVICE
    approved_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
    next_inspection_due = factory.LazyFunction(timezone.localdate)


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    section = ChecklistSection.EQUIPMENT
    service_level = ServiceLevel.BLS
    category = "Airway"
    description = factory.Sequence(lambda n: f"Item {n}")
    position = factory.Sequence(lambda n: n)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    vehicle = factory.SubFactory(VehicleFactory)
    kind = InspectionKind.PERIODIC
    scheduled_for = factory.LazyFunction(timezone.localdate)
