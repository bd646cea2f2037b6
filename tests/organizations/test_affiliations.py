"""Provider ↔ organization affiliations: every transition allowed and refused, who may do
what (per object, pages and API), emails on commit, the roster in one query, and the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from organizations import selectors, services
from organizations.models import Affiliation, AffiliationStatus, OrganizationStatus
from providers import services as provider_services
from providers.rules import Discipline, Level
from tests.providers.factories import make_certification

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_user):
    return make_user("chief@org.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)


@pytest.fixture
def other_administrator(make_user):
    return make_user("other@org.example.org", role=roles.ORGANIZATION_ADMINISTRATOR)


@pytest.fixture
def organization(administrator):
    organization = OrganizationFactory(legal_name="Mine Ambulance")
    organization.administrators.add(administrator)
    return organization


@pytest.fixture
def other_organization(other_administrator):
    organization = OrganizationFactory(legal_name="Their Ambulance")
    organization.administrators.add(other_administrator)
    return organization


_people = iter(range(1, 10_000))


def _provider(make_user, *, last_name="Medic", level=Level.EMT, expires_in=200):
    n = next(_people)
    user = make_user(f"medic{n}@example.com", role=roles.PROVIDER)
    certification = make_certification(
        user=user,
        first_name=f"Pat{n}",
        last_name=last_name,
        level=level,
        expires_in=expires_in,
        ssn=f"100-00-{n:04d}",
    )
    return certification.provider


@pytest.fixture
def provider(make_user):
    return _provider(make_user)


def _request(provider, organization, note=""):
    return services.affiliation_request(
        provider=provider, organization=organization, actor=provider.user, note=note
    )


# --- Transitions -------------------------------------------------------------------------------


def test_a_request_is_pending_and_emails_the_administrators_on_commit(
    provider, organization, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        affiliation = _request(provider, organization, note="Tuesday nights")
        assert not mailoutbox  # nothing before the commit
    assert len(callbacks) == 1
    assert affiliation.status == AffiliationStatus.PENDING
    assert affiliation.requested_by == provider.user
    assert [m.to for m in mailoutbox] == [[administrator.email]]
    assert provider.full_name in mailoutbox[0].subject
    assert reverse("organizations:roster", args=[organization.pk]) in mailoutbox[0].body
    record = affiliation.history.get()
    assert (record.history_user, record.history_change_reason) == (
        provider.user,
        "Affiliation requested",
    )


def test_a_double_request_acts_once(provider, organization):
    first = _request(provider, organization)
    assert _request(provider, organization).pk == first.pk
    assert Affiliation.objects.count() == 1


def test_only_the_linked_provider_requests_and_only_an_active_organization(
    provider, organization, make_user
):
    with pytest.raises(DomainError, match="linked to this account"):
        services.affiliation_request(
            provider=provider, organization=organization, actor=make_user()
        )
    organization.status = OrganizationStatus.SUSPENDED
    organization.save()
    with pytest.raises(DomainError, match="not an active") as error:
        _request(provider, organization)
    assert error.value.field == "organization"
    assert not Affiliation.objects.exists()


def test_approve_then_end_by_either_side_emails_each_step(
    provider,
    organization,
    administrator,
    make_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    affiliation = _request(provider, organization)
    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_approve(affiliation=affiliation, actor=administrator)
        services.affiliation_approve(affiliation=affiliation, actor=administrator)  # twice
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.APPROVED
    assert affiliation.decided_by == administrator and affiliation.decided_at
    assert [m.to for m in mailoutbox] == [[provider.user.email]]
    assert "approved" in mailoutbox[0].body
    with pytest.raises(DomainError, match="already affiliated"):
        _request(provider, organization)
    with pytest.raises(DomainError):
        services.affiliation_decline(affiliation=affiliation, actor=administrator)

    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_end(affiliation=affiliation, actor=provider.user, reason="Moved")
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.ENDED
    assert affiliation.ended_by == provider.user and affiliation.end_reason == "Moved"
    assert sorted(mailoutbox[-1].to) == sorted([provider.user.email, administrator.email])
    with pytest.raises(DomainError):
        services.affiliation_approve(affiliation=affiliation, actor=administrator)
    # Ended is history: asking again makes a new request.
    again = _request(provider, organization)
    assert again.pk != affiliation.pk and again.status == AffiliationStatus.PENDING
    services.affiliation_approve(affiliation=again, actor=administrator)
    services.affiliation_end(affiliation=again, actor=administrator)
    again.refresh_from_db()
    assert again.status == AffiliationStatus.ENDED and again.ended_by == administrator


def test_decline_is_final_and_only_a_pending_request_is_declined(
    provider, organization, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    affiliation = _request(provider, organization)
    with pytest.raises(DomainError):
        services.affiliation_end(affiliation=affiliation, actor=administrator)
    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_decline(affiliation=affiliation, actor=administrator, note="Who?")
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.DECLINED
    assert "declined" in mailoutbox[-1].body and "Who?" in mailoutbox[-1].body
    for service in (services.affiliation_approve, services.affiliation_end):
        with pytest.raises(DomainError):
            service(affiliation=affiliation, actor=administrator)


def test_another_organizations_administrator_cannot_decide_or_end(
    provider, organization, other_administrator, make_user
):
    affiliation = _request(provider, organization)
    for service in (services.affiliation_approve, services.affiliation_decline):
        with pytest.raises(DomainError, match="administrator"):
            service(affiliation=affiliation, actor=other_administrator)
    # Nor another provider.
    with pytest.raises(DomainError):
        services.affiliation_approve(affiliation=affiliation, actor=make_user())
    services.affiliation_approve(affiliation=affiliation, actor=organization.administrators.first())
    with pytest.raises(DomainError, match="administrator"):  # not even as a no-op
        services.affiliation_approve(affiliation=affiliation, actor=other_administrator)
    with pytest.raises(DomainError, match="provider or the organization"):
        services.affiliation_end(affiliation=affiliation, actor=other_administrator)
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.APPROVED


def test_staff_with_the_permission_may_decide_from_the_admin(provider, organization, staff_client):
    client = staff_client(roles.LICENSING_REVIEWER)
    affiliation = _request(provider, organization)
    response = client.post(
        reverse("admin:organizations_affiliation_changelist"),
        {"action": "approve", "_selected_action": [affiliation.pk]},
        follow=True,
    )
    assert "1 approved." in response.content.decode()
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.APPROVED
    assert affiliation.history.first().history_user == client.user
    # The organization's page in the admin lists its affiliations inline (read-only).
    page = client.get(reverse("admin:organizations_organization_change", args=[organization.pk]))
    assert page.status_code == 200 and provider.full_name in page.content.decode()
    listing = client.get(
        reverse("admin:organizations_affiliation_changelist"),
        {"q": provider.certifications.first().number, "status__exact": "approved"},
    )
    assert provider.full_name in listing.content.decode()


# --- Roster ------------------------------------------------------------------------------------


def _approved(provider, organization):
    affiliation = _request(provider, organization)
    return services.affiliation_approve(
        affiliation=affiliation, actor=organization.administrators.first()
    )


def test_the_roster_lists_approved_providers_with_their_certification(
    make_user, organization, other_organization, administrator
):
    active = _provider(make_user, last_name="Able", level=Level.PARAMEDIC, expires_in=300)
    grace = _provider(make_user, last_name="Baker", expires_in=-10)
    suspended = _provider(make_user, last_name="Carter")
    provider_services.certification_suspend(
        certification=suspended.certifications.get(),
        actor=administrator,
        reason="Test",
        effective_from=timezone.localdate() - timedelta(days=1),
    )
    pending = _provider(make_user, last_name="Dunn")
    elsewhere = _provider(make_user, last_name="Evans")
    ended = _provider(make_user, last_name="Fox")
    for provider in (active, grace, suspended):
        _approved(provider, organization)
    _request(pending, organization)
    _approved(elsewhere, other_organization)
    services.affiliation_end(affiliation=_approved(ended, organization), actor=administrator)

    roster = selectors.organization_roster(organization=organization)
    assert [row.provider_name.split()[-1] for row in roster] == ["Able", "Baker", "Carter"]
    able, baker, carter = roster
    certification = active.certifications.get()
    assert (able.level, able.number, able.status, able.expires_on) == (
        Level.PARAMEDIC,
        certification.number,
        "active",
        certification.expires_on,
    )
    assert able.level_label == "Paramedic" and able.affiliated_since == timezone.localdate()
    assert baker.status == grace.certifications.get().status
    assert carter.status == Discipline.SUSPENDED


def test_the_roster_is_one_query_whatever_its_size(
    make_user, organization, django_assert_max_num_queries
):
    for index in range(3):
        _approved(_provider(make_user, last_name=f"Small{index}"), organization)
    with django_assert_max_num_queries(1):
        small = selectors.organization_roster(organization=organization)
    for index in range(12):
        _approved(_provider(make_user, last_name=f"Large{index}"), organization)
    with django_assert_max_num_queries(1):
        large = selectors.organization_roster(organization=organization)
    assert (len(small), len(large)) == (3, 15)


def test_the_roster_page_is_the_administrators_only(
    client,
    make_user,
    provider,
    organization,
    administrator,
    other_administrator,
    django_assert_max_num_queries,
):
    _approved(provider, organization)
    for index in range(5):
        _approved(_provider(make_user, last_name=f"Crew{index}"), organization)
    waiting = _request(_provider(make_user, last_name="Waiting"), organization)
    url = reverse("organizations:roster", args=[organization.pk])
    client.force_login(other_administrator)
    assert client.get(url).status_code == 404
    decide = reverse(
        "organizations:affiliation-decide", args=[organization.pk, waiting.pk, "approve"]
    )
    assert client.post(decide).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == AffiliationStatus.PENDING
    client.force_login(provider.user)
    assert client.get(url).status_code == 404

    client.force_login(administrator)
    client.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(12):
        body = client.get(url).content.decode()
    assert provider.full_name in body and provider.certifications.get().number in body
    assert "Approve Pat" in body and waiting.provider.full_name in body
    response = client.post(decide, follow=True)
    assert f"{waiting.provider.full_name} is on the roster." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == AffiliationStatus.APPROVED


def test_an_administrator_cannot_decide_another_organizations_request_through_their_own_url(
    client, provider, organization, other_organization, other_administrator
):
    affiliation = _request(provider, organization)
    client.force_login(other_administrator)
    url = reverse(
        "organizations:affiliation-decide",
        args=[other_organization.pk, affiliation.pk, "approve"],
    )
    assert client.post(url).status_code == 404
    affiliation.refresh_from_db()
    assert affiliation.status == AffiliationStatus.PENDING


# --- The provider's pages ----------------------------------------------------------------------


def test_a_provider_requests_from_their_page_and_sees_the_status(
    client, provider, organization, other_organization
):
    client.force_login(provider.user)
    url = reverse("organizations:my-affiliations")
    page = client.get(url).content.decode()
    assert organization.legal_name in page and other_organization.legal_name in page
    response = client.post(url, {"organization": "", "note": "Kept"})
    assert "organization" in response.context["form"].errors
    assert response.context["form"]["note"].value() == "Kept"
    response = client.post(url, {"organization": organization.pk, "note": "Weekends"})
    assert response.status_code == 302
    client.post(url, {"organization": organization.pk, "note": "Weekends"})  # double submit
    affiliation = Affiliation.objects.get()
    assert (affiliation.provider, affiliation.note) == (provider, "Weekends")
    page = client.get(url).content.decode()
    assert "Requested, waiting on the organization" in page
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("organizations:my-affiliations") in dashboard
    assert organization.legal_name in dashboard


def test_a_provider_leaves_an_organization_but_not_someone_elses_affiliation(
    client, make_user, provider, organization
):
    mine = _approved(provider, organization)
    someone = _approved(_provider(make_user, last_name="Else"), organization)
    client.force_login(provider.user)
    assert (
        client.post(reverse("organizations:my-affiliation-end", args=[someone.pk])).status_code
        == 404
    )
    client.post(reverse("organizations:my-affiliation-end", args=[mine.pk]))
    mine.refresh_from_db()
    someone.refresh_from_db()
    assert (mine.status, someone.status) == (AffiliationStatus.ENDED, AffiliationStatus.APPROVED)


def test_an_account_without_a_provider_is_sent_to_link_first(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("organizations:my-affiliations"))
    assert response.url == reverse("providers:link")


# --- API ---------------------------------------------------------------------------------------


def _token_client(user):
    from rest_framework.test import APIClient

    from accounts.services import api_token_create

    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='test', second_factor=True)[1]}"
    )
    return api


def test_the_roster_api_answers_the_administrator_only(
    provider, organization, administrator, other_administrator
):
    _approved(provider, organization)
    url = f"/api/v1/my/organizations/{organization.pk}/roster/"
    assert _token_client(other_administrator).get(url).status_code == 404
    assert _token_client(provider.user).get(url).status_code == 404
    response = _token_client(administrator).get(url)
    assert response.status_code == 200
    [row] = response.json()
    certification = provider.certifications.get()
    assert row["number"] == certification.number and row["status"] == "active"
    assert row["expires_on"] == certification.expires_on.isoformat()
    assert row["level"] == certification.level


def test_the_affiliations_api_lists_only_the_providers_own(
    make_user, provider, organization, other_organization
):
    _request(provider, organization)
    _request(_provider(make_user, last_name="Other"), other_organization)
    response = _token_client(provider.user).get("/api/v1/my/affiliations/")
    assert response.status_code == 200
    rows = response.json()["results"] if "results" in response.json() else response.json()
    assert [(r["organization_number"], r["status"]) for r in rows] == [
        (organization.number, "pending")
    ]
    assert _token_client(make_user()).get("/api/v1/my/affiliations/").json()["results"] == []
