"""Course approval, T3 numbers, the catalogue and the CE check against it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import roles
from core.errors import DomainError
from education import selectors, services
from education.models import CourseStatus
from providers import rules
from providers.services import ce_record_add
from tests.providers.factories import make_certification

from .factories import approved_course, make_institution, make_instructor, submit_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution(make_user):
    return make_institution(make_user)


def test_an_institution_applies_and_the_course_waits_for_approval(institution):
    instructor = make_instructor()
    course = submit_course(institution, instructor=instructor)
    assert course.status == CourseStatus.SUBMITTED
    assert course.approval_number is None
    assert list(course.instructors.all()) == [instructor]
    assert course.history.first().history_change_reason == "Submitted for approval"
    assert not selectors.course_catalogue().exists()


def test_only_a_training_institution_applies(make_user):
    with pytest.raises(DomainError, match="training institution"):
        submit_course(make_user(role=roles.PROVIDER))


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"ends_on": timezone.localdate() - timedelta(days=365)}, "ends_on"),
        ({"hours": Decimal("1.1")}, "hours"),
    ],
)
def test_bad_course_applications_are_refused_beside_the_field(institution, fields, field):
    with pytest.raises(DomainError) as error:
        submit_course(institution, **fields)
    assert error.value.field == field


def test_an_unknown_instructor_credential_is_refused(institution):
    from education.services import course_submit

    today = timezone.localdate()
    with pytest.raises(DomainError) as error:
        course_submit(
            institution=institution,
            institution_name="X",
            title="T",
            topic="Airway",
            delivery="live",
            hours=Decimal(2),
            component="local",
            starts_on=today,
            ends_on=today,
            instructor_numbers=["NOPE1"],
        )
    assert error.value.field == "instructors" and "NOPE1" in error.value.message


def test_approval_issues_t3_numbers_in_sequence_and_once(institution, reviewer):
    first = approved_course(institution, reviewer)
    second = approved_course(institution, reviewer, title="Second")
    year = timezone.localdate().year
    assert first.approval_number == rules.state_approval_number(year, 1)
    assert second.approval_number == rules.state_approval_number(year, 2)
    assert rules.APPROVAL_NUMBER_FORMATS["T3"].match(first.approval_number)
    # approving again changes nothing
    again = services.course_approve(course=first, actor=reviewer)
    assert again.approval_number == first.approval_number
    assert first.history.first().history_user == reviewer
    assert first.decided_by == reviewer


def test_a_denied_course_cannot_be_approved_and_denial_needs_a_reason(institution, reviewer):
    course = submit_course(institution)
    with pytest.raises(DomainError):
        services.course_deny(course=course, actor=reviewer, note=" ")
    services.course_deny(course=course, actor=reviewer, note="Hours do not match the syllabus")
    with pytest.raises(DomainError, match="cannot move"):
        services.course_approve(course=course, actor=reviewer)
    course.refresh_from_db()
    assert course.approval_number is None


def test_catalogue_searches_by_topic_date_and_delivery(institution, reviewer):
    today = timezone.localdate()
    airway = approved_course(institution, reviewer, title="Airway", topic="Airway management")
    online = approved_course(
        institution,
        reviewer,
        title="Trauma online",
        topic="Trauma",
        delivery="distributive",
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=90),
    )
    submit_course(institution, title="Pending", topic="Airway")  # not approved: never listed
    assert list(selectors.course_catalogue(query="airway")) == [airway]
    assert list(selectors.course_catalogue(delivery="distributive")) == [online]
    assert list(selectors.course_catalogue(on=today)) == [airway]
    assert list(selectors.course_catalogue(query=online.approval_number)) == [online]


def _record(provider, number, completed_on):
    return ce_record_add(
        provider=provider,
        actor=None,
        course_title="Course",
        completed_on=completed_on,
        hours=Decimal(2),
        component="national",
        delivery="distributive",
        approval_number=number,
    )


def test_ce_with_a_catalogue_t3_number_inside_its_dates_is_recorded(institution, reviewer):
    course = approved_course(institution, reviewer)
    provider = make_certification().provider
    record = _record(provider, course.approval_number.lower(), timezone.localdate())
    assert record.approval_number == course.approval_number


def test_ce_with_an_unknown_t3_number_is_refused_beside_the_field(institution, reviewer):
    provider = make_certification().provider
    with pytest.raises(DomainError) as error:
        _record(provider, "T3-2020-9999", timezone.localdate())
    assert error.value.field == "approval_number"
    assert "No approved course has the state approval number T3-2020-9999" in error.value.message
    assert not provider.ce_records.exists()


def test_ce_dated_outside_the_course_dates_is_refused(institution, reviewer):
    today = timezone.localdate()
    course = approved_course(
        institution,
        reviewer,
        starts_on=today - timedelta(days=30),
        ends_on=today - timedelta(days=10),
    )
    provider = make_certification().provider
    for day in (today - timedelta(days=31), today - timedelta(days=9)):
        with pytest.raises(DomainError) as error:
            _record(provider, course.approval_number, day)
        assert error.value.field == "approval_number"
        assert "outside those dates" in error.value.message
    # the edges themselves are inside
    _record(provider, course.approval_number, today - timedelta(days=30))
    _record(provider, course.approval_number, today - timedelta(days=10))


def test_f3_numbers_are_checked_for_format_only():
    provider = make_certification().provider
    _record(provider, "F3-2025-12345", timezone.localdate())  # not in any catalogue: fine
    with pytest.raises(DomainError) as error:
        _record(provider, "F3-25-1", timezone.localdate())
    assert error.value.field == "approval_number"


def test_instructor_credentials_link_to_the_courses_they_teach(institution, reviewer):
    instructor = make_instructor()
    course = approved_course(institution, reviewer, instructor=instructor)
    assert list(instructor.courses.all()) == [course]
