"""Factories for rates tests, with this app's own organization factory (the Organizations app
owns its own)."""

from datetime import date
from decimal import Decimal
from importlib import import_module

import factory
from django.utils import timezone

from organizations.models import CredentialType, Organization, Ownership, ServiceKind
from rates.models import (
    RateCategory,
    RateFiling,
    RateSchedule,
    RateScheduleLine,
    RateYear,
    RateYearStatus,
    ScheduleKind,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Rates Test Ambulance {n}")
    number = factory.Sequence(lambda n: f"AMB-9{n:03d}")
    kind = ServiceKind.AMBULANCE
    ownership = Ownership.COMMERCIAL
    credential_type = CredentialType.LICENSE
    email = factory.Sequence(lambda n: f"service{n}@ambulance.example.com")

    @factory.post_generation
    def administrators(self, create, extracted, **kwargs):
        if create and extracted:
            self.administrators.add(*extracted)


class RateYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateYear
        django_get_or_create = ["year"]

    year = 2024
    cpi_factor = Decimal("0.0430")
    filing_opens_on = factory.LazyAttribute(lambda o: date(o.year, 1, 2))
    filing_due_on = factory.LazyAttribute(lambda o: date(o.year, 3, 31))
    status = RateYearStatus.OPEN


def category(code: str) -> RateCategory:
    """One of the categories the data migration loads (reloaded after a transactional test
    has flushed the tables)."""
    if not RateCategory.objects.exists():
        initial = import_module("rates.migrations.0002_initial_categories")
        for code_, name, unit, sort_order in initial.CATEGORIES:
            RateCategory.objects.get_or_create(
                code=code_, defaults={"name": name, "unit": unit, "sort_order": sort_order}
            )
    return RateCategory.objects.get(code=code)


def approved_schedule(
    organization, year: int, amounts: dict[str, str], *, kind=ScheduleKind.CHARGING
):
    """An approved schedule for ``year`` (category code -> amount as text)."""
    rate_year = RateYearFactory(year=year, status=RateYearStatus.CLOSED)
    schedule = RateSchedule.objects.create(
        organization=organization, year=rate_year, kind=kind, approved_at=timezone.now()
    )
    for code, amount in amounts.items():
        RateScheduleLine.objects.create(
            schedule=schedule, category=category(code), amount=Decimal(amount)
        )
    return schedule


PRIOR_2023 = {"bls-emergency": "800.00", "als1-emergency": "1000.00", "mileage": "15.00"}


def filing(organization, rate_year, *, form="short", status="draft") -> RateFiling:
    return RateFiling.objects.create(
        organization=organization, year=rate_year, form=form, status=status
    )
