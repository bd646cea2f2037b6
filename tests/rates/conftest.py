import pytest

from accounts import roles

from .factories import PRIOR_2023, OrganizationFactory, RateYearFactory, approved_schedule


@pytest.fixture
def org_admin(make_user):
    return make_user("chief@ambulance.example.com", role=roles.ORGANIZATION_ADMINISTRATOR)


@pytest.fixture
def organization(org_admin):
    """An ambulance service with an approved 2023 schedule, administered by ``org_admin``."""
    organization = OrganizationFactory(administrators=[org_admin])
    approved_schedule(organization, 2023, PRIOR_2023)
    return organization


@pytest.fixture
def season(db):
    """The 2024 filing season, open, at the published 4.3% CPI."""
    return RateYearFactory(year=2024)


@pytest.fixture
def analyst(make_user):
    return make_user("analyst@oems.example.gov", role=roles.RATES_ANALYST)
