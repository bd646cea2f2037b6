import pytest

from accounts import roles
from vehicles.models import ChecklistItem, ChecklistSection

from .factories import ChecklistItemFactory, OrganizationFactory, VehicleFactory


@pytest.fixture
def checklist(db):
    """A small checklist: three BLS equipment items, one paramedic item, two mechanical items
    (the starter lists from the migration are set aside so counts are known)."""
    ChecklistItem.objects.update(is_active=False)
    return {
        "bls": [
            ChecklistItemFactory(category="Airway", description="Bag-valve-mask", quantity=3),
            ChecklistItemFactory(category="Cardiac", description="AED"),
            ChecklistItemFactory(category="Oxygen", description="Portable oxygen", quantity=2),
        ],
        "paramedic": [
            ChecklistItemFactory(service_level="paramedic", description="Cardiac monitor")
        ],
        "mechanical": [
            ChecklistItemFactory(
                section=ChecklistSection.MECHANICAL, service_level="", description="Brakes"
            ),
            ChecklistItemFactory(
                section=ChecklistSection.MECHANICAL, service_level="", description="Lights"
            ),
        ],
    }


@pytest.fixture
def inspector(make_user):
    return make_user("inspector@oems.example.gov", role=roles.VEHICLE_INSPECTOR)


@pytest.fixture
def other_inspector(make_user):
    return make_user("other.inspector@oems.example.gov", role=roles.VEHICLE_INSPECTOR)


@pytest.fixture
def org_admin(make_user):
    return make_user("chief@ambulance.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)


@pytest.fixture
def organization(org_admin):
    return OrganizationFactory(administrators=[org_admin])


@pytest.fixture
def vehicle(organization):
    return VehicleFactory(organization=organization)
