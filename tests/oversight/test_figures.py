"""The dashboard's figures against values computed by hand on a small seeded set, and their
query counts (fixed whatever the number of rows)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from oversight import selectors, snapshot
from oversight.sections import Context, build_sections, find_table
from providers.models import RenewalStatus
from providers.rules import CertificationStatus, Level
from rates.models import FilingStatus

from . import factories

pytestmark = pytest.mark.django_db


def test_certifications_by_level_and_status(supervisor, django_assert_num_queries):
    factories.seed_certifications(supervisor)
    with django_assert_num_queries(1):
        figures = selectors.certifications_by_level_and_status(today=timezone.localdate())
    for level in Level.values:
        for status in CertificationStatus.values:
            expected = factories.EXPECTED_BY_LEVEL_STATUS[level].get(status, 0)
            assert figures[level][status] == expected, (level, status)


def test_certifications_expiring_in_30_60_90_days(supervisor, django_assert_num_queries):
    factories.seed_certifications(supervisor)
    with django_assert_num_queries(1):
        figures = selectors.certifications_expiring(today=timezone.localdate())
    assert figures == {
        level.value: windows for level, windows in factories.EXPECTED_EXPIRING.items()
    }


def test_renewals_by_status_and_waiting(org_admin, django_assert_num_queries):
    factories.seed_renewals(org_admin)
    with django_assert_num_queries(2):
        by_status = selectors.renewals_by_status()
        waiting = selectors.renewals_waiting(today=timezone.localdate())
    for status in RenewalStatus.values:
        assert by_status[status] == factories.EXPECTED_RENEWALS_BY_STATUS.get(status, 0), status
    assert waiting == factories.EXPECTED_WAITING


def test_processing_time_median_p90_and_distribution(org_admin, django_assert_max_num_queries):
    factories.seed_renewals(org_admin)
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else 2):
        summary = selectors.renewal_processing(today=timezone.localdate())
    assert summary.decided == 5  # the 400-day-old one and the one never complete left out
    assert summary.median_days == 30
    assert summary.p90_days == 44
    assert summary.target_days == (28, 42)
    assert summary.within_target == 4
    assert summary.median_within_target is True and summary.p90_within_target is False
    counts = {index: one.count for index, one in enumerate(summary.bins) if one.count}
    assert counts == factories.EXPECTED_HISTOGRAM
    assert summary.bins[-1].high_days is None and summary.bins[-1].label == "10+ weeks"


def test_processing_time_with_nothing_decided(db):
    summary = selectors.renewal_processing(today=timezone.localdate())
    assert summary.decided == 0 and summary.median_days is None and summary.p90_days is None
    assert summary.median_within_target is None


@pytest.mark.parametrize(
    "values, fraction, expected",
    [
        ([5.0], 0.9, 5.0),
        ([1.0, 2.0], 0.5, 1.5),
        ([10.0, 20.0, 30.0, 35.0, 50.0], 0.9, 44.0),
        ([4.0, 1.0, 3.0, 2.0], 0.5, 2.5),
        ([], 0.5, None),
    ],
)
def test_the_percentile_fallback_interpolates_like_percentile_cont(values, fraction, expected):
    assert selectors.percentile_cont(values, fraction) == expected


def test_inspections_due_and_overdue(django_assert_num_queries):
    factories.seed_vehicles()
    with django_assert_num_queries(4):
        figures = selectors.inspections_due(today=timezone.localdate())
    assert figures == factories.EXPECTED_INSPECTIONS


def test_rate_filings_of_the_current_season(django_assert_max_num_queries):
    factories.seed_rates()
    with django_assert_max_num_queries(5):
        rate_year = selectors.current_rate_year()
        summary = selectors.rate_season(rate_year=rate_year)
    assert rate_year.year == factories.RATE_YEAR
    for status in FilingStatus.values:
        assert summary.by_status.get(status, 0) == factories.EXPECTED_FILINGS.get(status, 0)
    assert summary.invited == factories.EXPECTED_INVITED
    assert summary.missing == factories.EXPECTED_NOT_FILED


def test_the_current_season_is_the_newest_open_one_else_the_newest(db):
    from rates.models import RateYear, RateYearStatus
    from tests.rates.factories import RateYearFactory

    assert selectors.current_rate_year() is None
    RateYearFactory(year=2023, status=RateYearStatus.OPEN)
    RateYearFactory(year=2024, status=RateYearStatus.PLANNED)
    assert selectors.current_rate_year().year == 2023
    RateYear.objects.filter(year=2023).update(status=RateYearStatus.CLOSED)
    assert selectors.current_rate_year().year == 2024


def test_chief_reports_late_and_applications_waiting(org_admin, supervisor):
    factories.seed_organizations(org_admin, supervisor)
    assert selectors.organization_counts() == factories.EXPECTED_ORGANIZATIONS


def _cell(table, row_label, column):
    index = table.columns.index(column)
    row = next(row for row in table.rows if row[0].value == row_label)
    return row[index]


def test_the_sections_show_the_figures(supervisor, org_admin):
    factories.seed(supervisor=supervisor, org_admin=org_admin)
    sections = build_sections(Context(today=timezone.localdate(), user=supervisor))
    assert [s.key for s in sections] == [
        "certifications",
        "renewals",
        "inspections",
        "complaints",
        "rates",
        "organizations",
    ]
    processing = find_table(sections, "renewals-processing")
    assert _cell(processing, "Median", "Value").value == "30 days"
    assert _cell(processing, "90th percentile", "Value").value == "44 days"
    assert _cell(processing, "90th percentile", "Against the 4–6 week target").value == "over"
    assert _cell(processing, "Decided within 6 weeks", "Value").value == 4
    expiring = find_table(sections, "certifications-expiring")
    assert [cell.value for cell in expiring.rows[-1][1:]] == [3, 4, 5]
    rates = find_table(sections, "rates-season")
    assert _cell(rates, "Submitted, awaiting review", "Organizations").value == 2
    assert _cell(rates, "Invited, not filed", "Organizations").value == 2
    inspections = find_table(sections, "inspections-due")
    assert _cell(inspections, "Overdue", "Vehicles").value == 2


def _page_queries(client):
    snapshot.take()  # as beat and the changes would have (the test's transaction never commits)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/staff/dashboard/")
    assert response.status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_on_a_larger_set(staff_client, make_user):
    """Fixed number of queries: the same count with one copy of the set and with four."""
    client = staff_client(roles.SUPERVISOR)
    org_admin = make_user(role=roles.ORGANIZATION_ADMINISTRATOR)
    factories.seed(supervisor=client.user, org_admin=org_admin)
    small = _page_queries(client)
    factories.seed(supervisor=client.user, org_admin=org_admin, copies=3)
    larger = _page_queries(client)
    assert larger == small


@pytest.mark.parametrize("copies", [1, 4])
def test_the_figures_take_a_fixed_number_of_queries(
    supervisor, org_admin, django_assert_max_num_queries, copies
):
    factories.seed(supervisor=supervisor, org_admin=org_admin, copies=copies)
    context = Context(today=timezone.localdate(), user=supervisor)
    with django_assert_max_num_queries(22):
        sections = build_sections(context)
    assert find_table(sections, "renewals-by-status").rows[-1][1].value == 12 * copies
