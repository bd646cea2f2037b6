"""Factories for hospitals, awards and publications."""

from datetime import date, timedelta

import factory
from django.core.files.base import ContentFile

from information.constants import DEFAULT_AWARD_CATEGORIES
from information.demo import demo_pdf
from information.models import (
    AwardCategory,
    CertifyingOrganization,
    Hospital,
    Nomination,
    NominationPeriod,
    Publication,
    PublicationKind,
    StrokeCertification,
    StrokeLevel,
    TraumaDesignation,
    TraumaLevel,
)


def pdf_file(name="attestation.pdf", text="Attestation"):
    return ContentFile(demo_pdf(text), name=name)


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital

    name = factory.Sequence(lambda n: f"Test Hospital {n}")
    town = "Hartford"
    address = factory.Sequence(lambda n: f"{n} Main Street")


class StrokeCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrokeCertification

    hospital = factory.SubFactory(HospitalFactory)
    level = StrokeLevel.PRIMARY
    certifying_organization = CertifyingOrganization.JOINT_COMMISSION
    attestation = factory.LazyFunction(pdf_file)
    attestation_expires = factory.LazyFunction(lambda: date.today() + timedelta(days=365))
    certified_from = factory.LazyAttribute(lambda o: o.attestation_expires - timedelta(days=730))


class TraumaDesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TraumaDesignation

    hospital = factory.SubFactory(HospitalFactory)
    level = TraumaLevel.LEVEL_II
    designated_from = factory.LazyFunction(lambda: date.today() - timedelta(days=100))
    designated_until = factory.LazyFunction(lambda: date.today() + timedelta(days=600))


class NominationPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominationPeriod
        django_get_or_create = ["year"]

    year = factory.LazyFunction(lambda: date.today().year)
    opens = factory.LazyFunction(lambda: date.today() - timedelta(days=10))
    closes = factory.LazyFunction(lambda: date.today() + timedelta(days=10))
    ceremony_note = "Recipients are honored in October."


def category(slug="individual") -> AwardCategory:
    """A category loaded by migration 0002; re-created after a transactional test's flush."""
    name, _, description = next(c for c in DEFAULT_AWARD_CATEGORIES if c[1] == slug)
    return AwardCategory.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )[0]


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    period = factory.SubFactory(NominationPeriodFactory)
    category = factory.LazyFunction(category)
    nominee_name = factory.Sequence(lambda n: f"Nominee {n}")
    nominator_name = "Nora Nominator"
    nominator_email = "nora@example.com"
    narrative = "Thirty years of service."


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    title = factory.Sequence(lambda n: f"Report {n}")
    slug = factory.Sequence(lambda n: f"report-{n}")
    kind = PublicationKind.WORK_GROUP_REPORT
    body = "The work group found things."
    is_published = True


def site_alerts_of_each_level(*, title="{label} notice", lasting=timedelta(hours=1)):
    """One alert showing now at each level (information, warning, emergency)."""
    from django.utils import timezone

    from information.models import AlertLevel, SiteAlert

    now = timezone.now()
    return [
        SiteAlert.objects.create(
            level=level,
            title=title.format(label=label),
            message="Read the [guidance](/help/) before you go.",
            starts_at=now - timedelta(minutes=5),
            ends_at=now + lasting,
        )
        for level, label in AlertLevel.choices
    ]
