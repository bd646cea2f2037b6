"""core.admin_scale: the estimated count of a whole large table (exact whenever anything narrows
the list, or the table is small), and no second "N total" count."""

import pytest
from django.contrib import admin as django_admin
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from core import admin_scale
from providers import admin
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


# --- searching: the same rows as an exact search, a capped count, any input --------------------

RENEWALS = reverse("admin:providers_renewalapplication_changelist")
CE_RECORDS = reverse("admin:providers_cerecord_changelist")


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(admin_scale.SearchCountPaginator, "cap", 3)


def _all_pages(client, url, query, per_page):
    """Every row id the changelist lists for ``query``, page by page, in the page order."""
    ids, page = [], 1
    while True:
        response = client.get(url, {**query, "p": page})
        changelist = response.context["cl"]
        ids += [row.pk for row in changelist.result_list]
        if page >= changelist.paginator.num_pages:
            return ids, changelist, response.content.decode()
        page += 1


@pytest.mark.parametrize(("surname", "people"), [("Okafor", 1), ("Smith", 3), ("Nguyen", 6)])
def test_a_name_search_lists_the_rows_an_exact_search_finds(
    staff_client, monkeypatch, cap_of_three, surname, people
):
    monkeypatch.setattr(admin.CertificationAdmin, "list_per_page", 2)
    for index in range(people):
        make_certification(first_name=f"Pat{index}", last_name=surname)
    make_certification(first_name="Smithers", last_name="Byrne")  # first name from the start
    make_certification(first_name="Ann", last_name="Goldsmith")  # not from the start
    client = staff_client(roles.LICENSING_REVIEWER)
    ids, changelist, body = _all_pages(client, CERTIFICATIONS, {"q": surname.lower()}, 2)
    exact = Certification.objects.filter(
        Q(provider__last_name__istartswith=surname) | Q(provider__first_name__istartswith=surname)
    ).order_by("number")
    expected = [c.pk for c in exact]
    if len(expected) > 3:  # capped: the first three, in order, and "more than 3"
        assert changelist.paginator.capped and changelist.result_count == 3
        assert ids == expected[:3]
        assert "more than 3 certifications" in body
        assert response_selection_note(client, surname) == "All of more than 3 selected"
    else:
        assert not changelist.paginator.capped
        assert ids == expected
        assert f"{len(expected)} certification" in body and "more than" not in body


def response_selection_note(client, surname):
    return client.get(CERTIFICATIONS, {"q": surname}).context["selection_note_all"]


def test_a_capped_search_still_acts_on_every_match(staff_client, rf, cap_of_three):
    """The count and the list are capped; an action ("Select all" included) gets every match."""
    for index in range(5):
        make_certification(first_name=f"Pat{index}", last_name="Smith")
    client = staff_client(roles.SUPERVISOR)
    changelist = client.get(CERTIFICATIONS, {"q": "Smith"}).context["cl"]
    assert changelist.paginator.capped
    model_admin = django_admin.site._registry[Certification]
    request = rf.post(f"{CERTIFICATIONS}?q=Smith", {"action": "suspend", "select_across": "1"})
    request.user = client.user
    rows, _ = model_admin.get_search_results(request, Certification.objects.all(), "Smith")
    assert rows.count() == 5


@pytest.mark.parametrize("url", [PROVIDERS, CERTIFICATIONS, RENEWALS, CE_RECORDS])
@pytest.mark.parametrize("term", ["%", "_", "%%_", "a" * 500, "Smith " * 100, "'\"\\"])
def test_any_search_answers_quickly_without_error(staff_client, url, term):
    make_certification(first_name="Pat", last_name="Smith")
    make_certification(first_name="Lee", last_name="O%Brien")
    client = staff_client(roles.SUPERVISOR)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": term})
    assert response.status_code == 200
    assert len(captured) < 40  # a long search is cut (words and length), not one query a word


def test_a_percent_sign_matches_itself(staff_client):
    make_certification(first_name="Lee", last_name="O%Brien")
    make_certification(first_name="Pat", last_name="Smith")
    client = staff_client(roles.LICENSING_REVIEWER)
    rows = client.get(PROVIDERS, {"q": "O%"}).context["cl"].result_list
    assert [row.last_name for row in rows] == ["O%Brien"]  # LIKE's wildcards match themselves
    assert list(client.get(PROVIDERS, {"q": "_"}).context["cl"].result_list) == []
