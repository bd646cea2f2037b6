"""Staff queues keep a fixed number of queries whatever the row count (issue 11): each page is
loaded with a few rows and again with many more, and must not need a single query more. No
timing here; the times are in benchmarks/ (docs/performance.md)."""

import pytest

from accounts import roles
from providers import demo as providers_demo
from providers.models import Certification, Provider, RenewalApplication, RenewalStatus
from tests.complaints.factories import file_complaint
from tests.organizations.factories import OrganizationFactory
from tests.providers.factories import make_certification
from tests.vehicles.factories import VehicleFactory

pytestmark = pytest.mark.django_db

# The most queries each page may take (session, user, second factor, permissions, the page's
# own queries). Measured, with a little headroom; a page that starts to query per row breaks it.
PAGES = {
    "/admin/providers/renewalapplication/": 13,
    "/admin/providers/renewalapplication/?status__exact=submitted": 13,
    "/admin/providers/renewalapplication/?q=Smith": 15,  # + SET/RESET random_page_cost (PostgreSQL)
    "/admin/providers/certification/": 12,
    "/admin/providers/certification/?status=active": 12,
    # + SET/RESET random_page_cost, + the search's matching ids read once (PostgreSQL)
    "/admin/providers/certification/?q=Smith": 15,
    "/admin/providers/certification/?q=E100001": 14,  # + SET/RESET random_page_cost (PostgreSQL)
    # +1: may this role see date of birth and SSN last four (core.admin_sensitive)
    "/admin/providers/provider/": 13,
    "/admin/providers/provider/?q=Smith": 16,  # as the certifications' search
    "/admin/providers/cerecord/": 12,
    "/admin/organizations/organization/": 14,
    "/admin/vehicles/vehicle/": 15,
    "/admin/complaints/complaint/": 18,
    "/staff/dashboard/": 30,
}


def _add_rows(count):
    providers_demo.generate(count=count)
    for _ in range(count // 20):
        VehicleFactory(organization=OrganizationFactory())
    for certification in Certification.objects.order_by("-pk")[: count // 20]:
        file_complaint(certification=certification)  # about a provider: a join on every row


def _queries(client, url, django_assert_max_num_queries, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_assert_max_num_queries(limit), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", list(PAGES))
def test_staff_page_query_count_does_not_grow_with_rows(
    url, staff_client, django_assert_max_num_queries
):
    client = staff_client(roles.SUPERVISOR)
    _add_rows(60)
    make_certification(last_name="Smith")  # the searches match something with few rows too
    client.get(url)  # first request warms per-process caches (content types, permissions)
    few = _queries(client, url, django_assert_max_num_queries, PAGES[url])
    _add_rows(300)
    many = _queries(client, url, django_assert_max_num_queries, PAGES[url])
    assert many == few


def test_state_scale_generator_is_coherent_and_idempotent():
    made = providers_demo.generate(count=400)
    assert made == 400
    generated = Provider.objects.filter(email__endswith=providers_demo.GENERATED_EMAIL)
    assert generated.count() == 400
    # Every provider holds a certification; some an earlier, lower one too (a history).
    assert Certification.objects.filter(provider__in=generated).count() > 400
    assert not generated.filter(certifications__isnull=True).exists()
    # Applications of several states, each with an applicant account linked to its provider.
    applications = RenewalApplication.objects.filter(certification__provider__in=generated)
    assert applications.values("status").distinct().count() >= 5
    for application in applications.select_related("certification__provider", "applicant"):
        assert application.certification.provider.user_id == application.applicant_id
    paid = applications.exclude(status__in=[RenewalStatus.DRAFT, RenewalStatus.FEE_DUE])
    from payments.selectors import invoice_for

    for application in paid[:5]:
        assert invoice_for(subject=application) is not None
    # Running it again adds nothing; asking for more resumes after the last one.
    assert providers_demo.generate(count=400) == 0
    assert providers_demo.generate(count=450) == 50
    assert generated.count() == 450
