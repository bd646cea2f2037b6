"""The staff admin: the review queue, its filters and actions (each through a service), and
read-only decided fields."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from providers import services
from providers.models import IncompleteReason, LinkAttempt, RenewalStatus

from .factories import filled_application, make_certification, pay, record_ce

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(make_user, django_capture_on_commit_callbacks):
    user = make_user("applicant@example.com")
    certification = make_certification(user=user, last_name="Queue")
    application = filled_application(certification, user)
    services.renewal_request_fee(application=application, actor=user)
    with django_capture_on_commit_callbacks(execute=True):
        pay(application, user)
    services.renewal_submit(application=application, actor=user)
    application.refresh_from_db()
    return application


def _action(client, action, application, **extra):
    return client.post(
        reverse("admin:providers_renewalapplication_changelist"),
        {"action": action, "_selected_action": [application.pk], **extra},
        follow=True,
    )


def test_queue_lists_filters_and_searches(staff_client, submitted):
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:providers_renewalapplication_changelist")
    assert submitted.certification.number in client.get(url).content.decode()
    assert client.get(url, {"q": "queue"}).context["cl"].result_count == 1
    assert client.get(url, {"status": "approved"}).context["cl"].result_count == 0
    assert client.get(url, {"waiting": "0-14"}).context["cl"].result_count == 1
    assert client.get(url, {"waiting": "43+"}).context["cl"].result_count == 0
    assert client.get(url, {"certification__level": "emt"}).context["cl"].result_count == 1


def test_actions_walk_an_application_to_approval(staff_client, submitted, mailoutbox):
    client = staff_client(roles.LICENSING_REVIEWER)
    old = submitted.certification.expires_on
    _action(client, "start_review", submitted)
    _action(client, "mark_nremt_verified", submitted)
    response = _action(client, "approve", submitted)
    assert "Approved: 1" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == RenewalStatus.APPROVED and submitted.nremt_verified_at
    submitted.certification.refresh_from_db()
    assert submitted.certification.expires_on > old
    assert submitted.history.first().history_user == client.user


def test_return_incomplete_asks_for_reasons_then_returns(staff_client, submitted):
    client = staff_client(roles.LICENSING_REVIEWER)
    _action(client, "start_review", submitted)
    response = _action(client, "return_incomplete", submitted)
    assert "Return as incomplete" in response.content.decode()
    reason = IncompleteReason.objects.get(code="missing-document")
    _action(client, "return_incomplete", submitted, apply="1", reasons=[reason.pk], note="PDF")
    submitted.refresh_from_db()
    assert submitted.status == RenewalStatus.RETURNED
    assert list(submitted.return_reasons.all()) == [reason]
    changelist = reverse("admin:providers_renewalapplication_changelist")
    assert (
        client.get(changelist, {"return_reasons__id__exact": reason.pk}).context["cl"].result_count
        == 1
    )


def test_a_refused_action_reports_the_reason(staff_client, submitted):
    client = staff_client(roles.LICENSING_REVIEWER)
    response = _action(client, "approve", submitted)
    assert "cannot move from Submitted to Approved" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == RenewalStatus.SUBMITTED


def test_decided_fields_are_read_only(staff_client, submitted):
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:providers_renewalapplication_change", args=[submitted.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    assert 'name="new_expires_on"' not in response.content.decode()
    client.post(url, {"status": "approved"})
    submitted.refresh_from_db()
    assert submitted.status == RenewalStatus.SUBMITTED


def test_staff_who_are_not_reviewers_cannot_act(staff_client, submitted):
    client = staff_client(roles.VEHICLE_INSPECTOR)
    url = reverse("admin:providers_renewalapplication_changelist")
    assert client.get(url).status_code == 403


def test_provider_admin_never_shows_the_ssn_hash(staff_client, submitted):
    client = staff_client(roles.LICENSING_REVIEWER)
    provider = submitted.certification.provider
    body = client.get(reverse("admin:providers_provider_change", args=[provider.pk])).content
    assert provider.ssn_hmac.encode() not in body
    assert provider.ssn_last4.encode() in body


def test_link_failures_are_visible_to_staff(staff_client, make_user):
    user = make_user("linker@example.com")
    LinkAttempt.objects.create(user=user, number_entered="E000001", outcome="no_match")
    client = staff_client(roles.LICENSING_REVIEWER)
    body = client.get(reverse("admin:providers_linkattempt_changelist")).content.decode()
    assert "linker@example.com" in body and "Could not match" in body


def test_supervisor_suspends_and_lifts_from_the_certification_admin(staff_client):
    certification = make_certification()
    client = staff_client(roles.SUPERVISOR)
    url = reverse("admin:providers_certification_changelist")
    client.post(
        url,
        {
            "action": "suspend",
            "_selected_action": [certification.pk],
            "apply": "1",
            "reason": "Investigation",
            "effective_from": timezone.localdate().isoformat(),
            "until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    certification.refresh_from_db()
    assert certification.status == "suspended"
    assert client.get(url, {"status": "suspended"}).context["cl"].result_count == 1
    client.post(
        url,
        {
            "action": "lift_discipline",
            "_selected_action": [certification.pk],
            "apply": "1",
            "reason": "Cleared",
        },
    )
    certification.refresh_from_db()
    assert certification.status == "active"


# --- Searching at state scale (core.admin_scale: each field on its own index, then UNION) -----


def _found(client, url, term):
    return list(client.get(url, {"q": term}).context["cl"].result_list)


def test_certification_search_by_number_and_name(staff_client, make_user):
    smith = make_certification(first_name="Ada", last_name="Smith")
    smithers = make_certification(first_name="Bo", last_name="Smithers")
    other = make_certification(first_name="Smith", last_name="Jones")  # a first name too
    make_certification(first_name="Cy", last_name="Goldsmith")  # "smith" inside: not a prefix
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:providers_certification_changelist")
    assert _found(client, url, smith.number) == [smith]
    assert _found(client, url, smith.number.lower()) == [smith]  # staff type it in lower case
    assert _found(client, url, smith.number[:-1]) == []  # a number matches exactly
    assert set(_found(client, url, "smith")) == {smith, smithers, other}
    assert _found(client, url, "Ada Smith") == [smith]  # every word must match some field
    assert _found(client, url, "Zed Smith") == []


def test_provider_search_by_name_number_nremt_and_email(staff_client, make_user):
    user = make_user("ada.smith@example.com")
    smith = make_certification(
        first_name="Ada", last_name="Smith", nremt_number="E1234567", user=user
    )
    make_certification(first_name="Bo", last_name="Jones")
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:providers_provider_changelist")
    provider = smith.provider
    assert _found(client, url, "smi") == [provider]
    assert _found(client, url, smith.number) == [provider]
    assert _found(client, url, "e1234567") == [provider]
    assert _found(client, url, "ADA.SMITH@example.com") == [provider]
    assert _found(client, url, "Ada Jones") == []


def test_renewal_queue_search_by_number_and_last_name(staff_client, submitted):
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:providers_renewalapplication_changelist")
    assert _found(client, url, submitted.certification.number.lower()) == [submitted]
    assert _found(client, url, "QUE") == [submitted]
    assert _found(client, url, "ueue") == []  # a name matches from its start


def test_ce_record_search_by_approval_number_certification_and_last_name(staff_client):
    smith = make_certification(last_name="Smith")
    jones = make_certification(last_name="Jones")
    theirs = record_ce(smith.provider, hours="2", approval_number="F3-2026-00042")
    other = record_ce(jones.provider, hours="2", approval_number="F3-2026-00043")
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:providers_cerecord_changelist")
    assert _found(client, url, "f3-2026-00042") == [theirs]
    assert _found(client, url, jones.number) == [other]
    assert _found(client, url, "smi") == [theirs]
