"""Admin: course approval, initial application review actions, the registry upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from education.models import CourseStatus
from providers.models import ApplicationStatus, Certification

from .factories import filled_initial, make_institution, pay, submit_course
from .test_registry_import import GOOD

pytestmark = pytest.mark.django_db


def test_reviewer_approves_a_course_from_the_admin(staff_client, make_user):
    course = submit_course(make_institution(make_user))
    client = staff_client(roles.LICENSING_REVIEWER)
    url = reverse("admin:education_course_changelist")
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "approve", "_selected_action": [course.pk]}, follow=True)
    assert response.status_code == 200
    course.refresh_from_db()
    assert course.status == CourseStatus.APPROVED and course.approval_number


def test_reviewer_walks_an_initial_application_to_approval(staff_client, make_user):
    from providers.applications import initial

    client = staff_client(roles.LICENSING_REVIEWER)
    course = submit_course(make_institution(make_user))
    from education.services import course_approve

    course = course_approve(course=course, actor=client.user)
    applicant = make_user(role=roles.PROVIDER)
    application = filled_initial(applicant, course=course)
    application = pay(
        initial.initial_request_fee(application=application, actor=applicant), applicant
    )
    initial.initial_submit(application=application, actor=applicant)
    url = reverse("admin:providers_initialapplication_changelist")
    assert client.get(url).status_code == 200
    for action in ("start_review", "approve"):
        client.post(url, {"action": action, "_selected_action": [application.pk]})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert (
        client.get(
            reverse("admin:providers_initialapplication_change", args=[application.pk])
        ).status_code
        == 200
    )


def test_supervisor_uploads_the_registry_and_sees_row_errors(staff_client):
    client = staff_client(roles.SUPERVISOR)
    url = reverse("admin:providers_registryimport_upload")
    bad = SimpleUploadedFile(
        "bad.csv", (GOOD + "E1,emt,A,B,1990-01-01,111-22-0009,2024-01-01,2026-01-01,\n").encode()
    )
    response = client.post(url, {"file": bad})
    body = response.content.decode()
    assert "nothing was imported" in body and "certification_number" in body
    assert "111-22-0009" not in body
    assert Certification.objects.count() == 0
    good = SimpleUploadedFile("good.csv", GOOD.encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert Certification.objects.count() == 3


def test_a_reviewer_cannot_import(staff_client):
    client = staff_client(roles.LICENSING_REVIEWER)
    assert client.get(reverse("admin:providers_registryimport_upload")).status_code == 403
