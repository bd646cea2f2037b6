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
