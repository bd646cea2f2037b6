"""Level change: the new certification, the old one superseded, what verification shows."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import roles
from core.errors import DomainError
from providers import initial, rules, selectors, services
from providers.models import Certification
from tests.providers.factories import SSN, make_certification

from .factories import approved_course, filled_initial, make_institution, pay

pytestmark = pytest.mark.django_db


def test_level_change_issues_the_new_one_and_supersedes_the_old(reviewer):
    emt = make_certification(level=rules.Level.EMT, expires_in=300)
    medic = services.certification_level_change(
        certification=emt, level=rules.Level.PARAMEDIC, actor=reviewer
    )
    emt.refresh_from_db()
    assert medic.level == rules.Level.PARAMEDIC and medic.provider == emt.provider
    assert rules.level_of_number(medic.number) == rules.Level.PARAMEDIC
    assert emt.superseded_by == medic
    assert emt.status == rules.CertificationStatus.SUPERSEDED
    assert medic.status == rules.CertificationStatus.ACTIVE
    assert emt.history.first().history_change_reason == f"Superseded by Paramedic {medic.number}"
    # the database filter agrees with the rule
    superseded = Certification.objects.with_status(rules.CertificationStatus.SUPERSEDED)
    assert list(superseded) == [emt]
    assert emt not in Certification.objects.with_status(rules.CertificationStatus.ACTIVE)


def test_a_level_change_goes_up_only(reviewer):
    medic = make_certification(level=rules.Level.PARAMEDIC)
    with pytest.raises(DomainError, match="goes up"):
        services.certification_level_change(
            certification=medic, level=rules.Level.EMT, actor=reviewer
        )


def test_numbers_are_issued_above_imported_ones(reviewer):
    make_certification(level=rules.Level.PARAMEDIC)  # factories pick numbers by sequence
    highest = Certification.objects.filter(level="paramedic").order_by("-number").first()
    emt = make_certification(level=rules.Level.EMT, ssn="999-99-0001")
    medic = services.certification_level_change(
        certification=emt, level=rules.Level.PARAMEDIC, actor=reviewer
    )
    assert medic.number > highest.number


def test_verification_by_old_number_points_to_current_and_by_name_shows_current(client, reviewer):
    emt = make_certification(level=rules.Level.EMT, first_name="Lev", last_name="Change")
    medic = services.certification_level_change(
        certification=emt, level=rules.Level.PARAMEDIC, actor=reviewer
    )
    by_number = selectors.verify_search(number=emt.number)
    assert by_number == [emt] and by_number[0].status == rules.CertificationStatus.SUPERSEDED
    assert selectors.verify_search(last_name="Change") == [medic]
    body = client.get(reverse("providers:verify"), {"number": emt.number}).content.decode()
    assert "Superseded by a higher level" in body and medic.number in body
    data = APIClient().get(f"/api/v1/verify/{emt.number}/").json()
    assert data["status"] == "superseded" and data["superseded_by"] == medic.number


def test_an_emt_applying_as_paramedic_gets_the_new_level(make_user, reviewer):
    user = make_user(role=roles.PROVIDER)
    emt = make_certification(
        level=rules.Level.EMT, first_name="Nina", last_name="Newcomer", ssn=SSN, expires_in=200
    )
    emt.provider.user = user
    emt.provider.save(update_fields=["user"])
    course = approved_course(make_institution(make_user), reviewer)
    application = filled_initial(
        user,
        course=course,
        level=rules.Level.PARAMEDIC,
        ssn=SSN,
        date_of_birth=emt.provider.date_of_birth,
    )
    application = initial.initial_request_fee(application=application, actor=user)
    application = pay(application, user)
    initial.initial_submit(application=application, actor=user)
    initial.initial_start_review(application=application, actor=reviewer)
    initial.initial_approve(application=application, actor=reviewer)
    application.refresh_from_db()
    emt.refresh_from_db()
    assert application.provider == emt.provider  # the same person, not a duplicate
    assert application.certification.level == rules.Level.PARAMEDIC
    assert emt.superseded_by == application.certification
    assert emt.superseded_on == timezone.localdate()


def test_the_same_level_again_is_refused_at_approval(make_user, reviewer):
    user = make_user(role=roles.PROVIDER)
    emt = make_certification(level=rules.Level.EMT, ssn=SSN)
    emt.provider.user = user
    emt.provider.save(update_fields=["user"])
    course = approved_course(make_institution(make_user), reviewer)
    application = filled_initial(
        user, course=course, ssn=SSN, date_of_birth=emt.provider.date_of_birth
    )
    application = pay(initial.initial_request_fee(application=application, actor=user), user)
    initial.initial_submit(application=application, actor=user)
    initial.initial_start_review(application=application, actor=reviewer)
    with pytest.raises(DomainError, match="already holds"):
        initial.initial_approve(application=application, actor=reviewer)
