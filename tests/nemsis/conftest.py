import io

import pytest

from information.models import StrokeLevel, TraumaLevel
from organizations.models import OrganizationStatus
from tests.information.factories import (
    HospitalFactory,
    StrokeCertificationFactory,
    TraumaDesignationFactory,
)
from tests.organizations.factories import OrganizationFactory


@pytest.fixture
def state_data(db):
    """A small state: two licensed organizations and a revoked one, three hospitals (a stroke
    and trauma center, a pediatric trauma center, one with no designation), the demo scope."""
    from nemsis import demo

    active = [
        OrganizationFactory(number="AMB-0101", legal_name="Alpha Ambulance"),
        OrganizationFactory(number="EFR-0202", legal_name="Beta Fire Rescue"),
    ]
    revoked = OrganizationFactory(
        number="AMB-0303", legal_name="Gone Ambulance", status=OrganizationStatus.REVOKED
    )
    capitol = HospitalFactory(
        name="Capitol Medical",
        town="Hartford",
        address="80 Seymour Street, Hartford, CT 06102",
        phone="(860) 545-5000",
    )
    StrokeCertificationFactory(hospital=capitol, level=StrokeLevel.COMPREHENSIVE)
    TraumaDesignationFactory(hospital=capitol, level=TraumaLevel.LEVEL_I)
    children = HospitalFactory(
        name="Children's Medical", town="New Haven", address="1 Park Street, New Haven, CT 06510"
    )
    TraumaDesignationFactory(hospital=children, level=TraumaLevel.PEDIATRIC_I)
    plain = HospitalFactory(name="Plain Community Hospital", town="Nowhere", address="Main Street")
    demo.seed(stdout=io.StringIO())
    return {"active": active, "revoked": revoked, "hospitals": [capitol, children, plain]}


@pytest.fixture
def dem_world(db, make_user):
    """AMB-0101 with its administrator, a roster, vehicles; another organization; providers
    whose certifications match, mismatch or are unknown."""
    from accounts import roles
    from organizations.models import Affiliation, AffiliationStatus
    from providers.rules import Level
    from tests.providers.factories import make_certification, make_provider
    from tests.vehicles.factories import VehicleFactory, valid_vin

    admin = make_user("chief@alpha.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)
    other_admin = make_user("chief@beta.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)
    organization = OrganizationFactory(number="AMB-0101", legal_name="Alpha Ambulance")
    organization.administrators.add(admin)
    other = OrganizationFactory(number="AMB-0202", legal_name="Beta Ambulance")
    other.administrators.add(other_admin)

    def certified(first, last, level=Level.EMT, **kwargs):
        provider = make_provider(first_name=first, last_name=last)
        return make_certification(provider=provider, level=level, **kwargs)

    newcomer = certified("Nora", "New")  # matches, not yet on the roster
    regular = certified("Rita", "Regular")  # matches, already on the roster
    leaver = certified("Leo", "Left")  # on the roster, not in the file
    wrong_level = certified("Paul", "Para", level=Level.PARAMEDIC)  # file says EMT
    expired = certified("Ed", "Expired", expires_in=-900)
    for certification in (regular, leaver):
        Affiliation.objects.create(
            organization=organization,
            provider=certification.provider,
            status=AffiliationStatus.APPROVED,
            requested_by=admin,
        )
    kept = VehicleFactory(organization=organization, vin=valid_vin(9001))
    dropped = VehicleFactory(organization=organization, vin=valid_vin(9002))
    elsewhere = VehicleFactory(organization=other, vin=valid_vin(9003))
    return {
        "admin": admin,
        "other_admin": other_admin,
        "organization": organization,
        "other": other,
        "newcomer": newcomer,
        "regular": regular,
        "leaver": leaver,
        "wrong_level": wrong_level,
        "expired": expired,
        "kept": kept,
        "dropped": dropped,
        "elsewhere": elsewhere,
        "unknown_vin": valid_vin(9004),
    }


@pytest.fixture
def world_file(dem_world):
    """The DEM file of AMB-0101 as its ePCR software would send it."""
    from nemsis.sample_dem import DemFile, DemPerson, DemVehicle

    w = dem_world
    return DemFile(
        agency_number="AMB-0101",
        agency_name="Alpha Ambulance",
        people=[
            DemPerson("New", "Nora", w["newcomer"].number),
            DemPerson("Regular", "Rita", w["regular"].number),
            DemPerson("Para", "Paul", w["wrong_level"].number, level_code="9925005"),
            DemPerson("Expired", "Ed", w["expired"].number),
            DemPerson("Nobody", "Nick", "E999999"),
        ],
        vehicles=[
            DemVehicle("M1", w["kept"].vin),
            DemVehicle("M2", w["unknown_vin"]),
            DemVehicle("M3", w["elsewhere"].vin),
        ],
    )
