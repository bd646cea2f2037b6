"""The demo complaints: every stage, one suspension that /verify/ shows, idempotent."""

import io

import pytest

from accounts.demo import seed as seed_accounts
from complaints import demo
from complaints.constants import Stage
from complaints.models import Complaint
from providers.models import Certification
from providers.rules import Level
from tests.organizations.factories import OrganizationFactory
from tests.providers.factories import make_certification, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_subjects():
    # The subjects the providers and organizations demos create, by their numbers.
    for number, level in [
        ("R100002", Level.EMR),
        ("A100003", Level.AEMT),
        ("P100004", Level.PARAMEDIC),
        ("E100005", Level.EMT),
    ]:
        certification = make_certification(
            provider=make_provider(last_name=number), level=level, expires_in=300
        )
        certification.number = number
        certification.save(update_fields=["number"])
    for number in ("AMB-0001", "AMB-0002", "AMB-0003"):
        OrganizationFactory(number=number)


def test_demo_covers_every_stage_suspends_a_certification_and_is_idempotent(demo_subjects):
    seed_accounts(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    stages = set(Complaint.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert Complaint.objects.overdue().exists()
    assert Complaint.objects.filter(investigator__email="investigator@example.com").count() >= 3
    assert Certification.objects.get(number="R100002").status == "suspended"
    count = Complaint.objects.count()
    demo.seed(stdout=io.StringIO())
    assert Complaint.objects.count() == count == len(demo.DEMO)
