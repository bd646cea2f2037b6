import pytest

from accounts import roles
from tests.providers.factories import make_certification


@pytest.fixture
def investigator(make_user):
    return make_user("inv@example.com", role=roles.INVESTIGATOR)


@pytest.fixture
def certification(db):
    return make_certification(first_name="Morgan", last_name="Medic", expires_in=300)
