import pytest

from .factories import PRIOR_2023, OrganizationFactory, RateYearFactory, approved_schedule


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
