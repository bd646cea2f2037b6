"""Pages: the catalogue, the institution's course application, initial and reinstatement
pages, and that nobody sees another person's application."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from education.models import Course
from providers import rules
from providers.models import InitialApplication
from tests.providers.factories import make_certification

from .factories import approved_course, filled_initial, make_institution, make_instructor, pdf

pytestmark = pytest.mark.django_db


def test_catalogue_is_public_and_searches(
    client, make_user, reviewer, django_assert_max_num_queries
):
    institution = make_institution(make_user)
    for n in range(5):
        approved_course(institution, reviewer, title=f"Airway {n}", topic="Airway")
    approved_course(
        institution, reviewer, title="Cardiac", topic="Cardiology", delivery="distributive"
    )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("education:catalogue"), {"q": "airway"})
    body = response.content.decode()
    assert response.status_code == 200 and "Airway 4" in body and "Cardiac" not in body
    body = client.get(reverse("education:catalogue"), {"delivery": "distributive"}).content.decode()
    assert "Cardiac" in body and "Airway 1" not in body


def test_an_institution_applies_for_a_course(client, make_user):
    institution = make_institution(make_user)
    instructor = make_instructor()
    client.force_login(institution)
    today = timezone.localdate()
    data = {
        "institution_name": "Capitol CC",
        "title": "Pediatrics",
        "topic": "Pediatrics",
        "delivery": "live",
        "hours": "8",
        "component": "local",
        "starts_on": today.isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat(),
        "instructors": instructor.number,
    }
    response = client.post(reverse("education:apply"), data)
    assert response.status_code == 200
    assert "ends after it starts" in response.content.decode()
    assert 'value="Pediatrics"' in response.content.decode()  # what was typed is kept
    data["ends_on"] = (today + timedelta(days=5)).isoformat()
    response = client.post(reverse("education:apply"), data)
    assert response.status_code == 302
    assert Course.objects.get().institution == institution


def test_only_training_institutions_reach_the_course_pages(client, make_user):
    client.force_login(make_user(role=roles.PROVIDER))
    assert client.get(reverse("education:apply")).status_code == 403
    assert client.get(reverse("education:mine")).status_code == 403


def test_a_pending_course_is_not_public(client, make_user):
    from .factories import submit_course

    course = submit_course(make_institution(make_user))
    assert client.get(reverse("education:course", args=[course.pk])).status_code == 403


def test_initial_application_pages_keep_the_draft_and_show_errors_beside_fields(
    client, make_user, reviewer
):
    user = make_user(role=roles.PROVIDER)
    client.force_login(user)
    response = client.post(reverse("providers:initial-home"), {"level": "emt"})
    application = InitialApplication.objects.get(applicant=user)
    assert response.url == reverse("providers:initial-edit", args=[application.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("providers:initial-edit", args=[application.pk]),
        {"first_name": "Nina", "cpr_expires_on": yesterday.isoformat(), "cpr_card": pdf()},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_cpr_expires_on-error"' in body and "expired" in body
    assert 'value="Nina"' in body
    response = client.post(
        reverse("providers:initial-edit", args=[application.pk]),
        {"first_name": "Nina", "last_name": "Newcomer", "ssn": "123-45-6789"},
    )
    assert response.status_code == 302
    body = client.get(reverse("providers:initial-detail", args=[application.pk])).content.decode()
    assert "Nina Newcomer" in body and "ending in 6789" in body and "123-45-6789" not in body
    assert "Still needed" in body


def test_nobody_sees_another_persons_initial_application(client, make_user, reviewer):
    course = approved_course(make_institution(make_user), reviewer)
    owner = make_user(role=roles.PROVIDER)
    application = filled_initial(owner, course=course)
    client.force_login(make_user(role=roles.PROVIDER))
    for name in ("providers:initial-detail", "providers:initial-edit"):
        assert client.get(reverse(name, args=[application.pk])).status_code == 404
    assert (
        client.post(reverse("providers:initial-action", args=[application.pk, "fee"])).status_code
        == 404
    )


def test_reinstatement_page_says_initial_is_required_past_the_window(client, make_user):
    user = make_user(role=roles.PROVIDER)
    certification = make_certification(expires_in=-(365 * 2 + 10), user=user)
    client.force_login(user)
    body = client.get(
        reverse("providers:reinstatement-start", args=[certification.number])
    ).content.decode()
    assert "A new initial certification is required" in body
    assert reverse("providers:initial-home") in body


def test_reinstatement_page_starts_an_application_when_lapsed(client, make_user):
    user = make_user(role=roles.PROVIDER)
    certification = make_certification(expires_in=-(rules.GRACE_DAYS + 5), user=user)
    client.force_login(user)
    url = reverse("providers:reinstatement-start", args=[certification.number])
    assert "can be reinstated until" in client.get(url).content.decode()
    response = client.post(url)
    application = certification.reinstatement_applications.get()
    assert response.url == application.get_absolute_url()
    response = client.post(application.get_absolute_url(), {"attestation_name": "Wrong Name"})
    assert response.status_code == 400 and "id_attestation_name-error" in response.content.decode()
    # someone else: 404
    client.force_login(make_user())
    assert client.get(application.get_absolute_url()).status_code == 404
