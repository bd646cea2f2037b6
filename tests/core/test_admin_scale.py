"""core.admin_scale: the estimated count of a whole large table (exact whenever anything narrows
the list, or the table is small), and no second "N total" count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from core import admin_scale
from providers.models import Certification, Provider
from tests.providers.factories import make_certification

pytestmark = pytest.mark.django_db

PROVIDERS = reverse("admin:providers_provider_changelist")
CERTIFICATIONS = reverse("admin:providers_certification_changelist")


@pytest.fixture
def a_million(monkeypatch):
    """PostgreSQL's statistics say the table holds a million rows (whatever the database)."""
    asked = []

    def estimated_rows(model, *, using):
        asked.append(model)
        return 1_000_000

    monkeypatch.setattr(admin_scale, "estimated_rows", estimated_rows)
    return asked


def _counts(captured):
    return [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_unfiltered_large_table_shows_the_estimate_without_counting(staff_client, a_million):
    certification = make_certification(last_name="Okafor")
    client = staff_client(roles.SUPERVISOR)  # may suspend: the page has actions
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CERTIFICATIONS)
    changelist = response.context["cl"]
    assert changelist.paginator.estimated and changelist.result_count == 1_000_000
    assert a_million == [Certification]
    body = response.content.decode()
    assert "about 1,000,000 certifications" in body
    assert "Select all (about 1,000,000) certifications" in body
    assert response.context["selection_note_all"] == "All of about 1,000,000 selected"
    assert certification.number in body  # the page itself is still the real rows
    assert _counts(captured) == []  # neither the paginator's COUNT(*) nor "N total"


@pytest.mark.parametrize("query", [{"q": "Okafor"}, {"user__isnull": "True"}])
def test_a_search_or_filter_counts_exactly_and_once(staff_client, a_million, query):
    make_certification(last_name="Okafor")
    make_certification(last_name="Byrne")
    client = staff_client(roles.LICENSING_REVIEWER)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PROVIDERS, query)
    changelist = response.context["cl"]
    assert not changelist.paginator.estimated
    expected = 1 if "q" in query else 2
    assert changelist.result_count == expected
    assert a_million == []
    assert "about" not in response.content.decode().split('class="paginator"')[1]
    assert len(_counts(captured)) == 1  # the exact count; no second "N total" count


def test_a_small_table_is_counted_exactly(staff_client, monkeypatch):
    monkeypatch.setattr(admin_scale, "estimated_rows", lambda model, *, using: 40)
    make_certification(last_name="Okafor")
    client = staff_client(roles.LICENSING_REVIEWER)
    changelist = client.get(PROVIDERS).context["cl"]
    assert not changelist.paginator.estimated and changelist.result_count == 1


def test_estimate_comes_from_postgresql_statistics_only():
    make_certification(last_name="Okafor")
    estimate = admin_scale.estimated_rows(Provider, using="default")
    if connection.vendor != "postgresql":
        assert estimate is None  # SQLite: always the exact count
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE providers_provider")
    assert admin_scale.estimated_rows(Provider, using="default") == Provider.objects.count()


def test_only_a_whole_table_is_estimated():
    rows = Provider.objects.select_related("user").order_by("last_name")
    assert admin_scale.is_whole_table(rows)
    assert not admin_scale.is_whole_table(rows.filter(last_name="Okafor"))
    assert not admin_scale.is_whole_table(rows.distinct())
    assert not admin_scale.is_whole_table(rows[:10])
