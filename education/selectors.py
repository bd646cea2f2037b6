"""Reads of the education app: the public catalogue, an institution's own courses, and the
check of a state (T3) approval number that providers' CE validation calls."""

from datetime import date

from django.db.models import Q, QuerySet

from accounts import roles

from .models import Course, CourseStatus

CATALOGUE_LIMIT = 200


def is_training_institution(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.groups.filter(name=roles.TRAINING_INSTITUTION).exists()
    )


def course_catalogue(
    *, query: str = "", on: date | None = None, delivery: str = ""
) -> QuerySet[Course]:
    """Approved courses, by topic or title words, running on a date, live or distributive.
    Two queries whatever the row count (the courses, their instructors)."""
    courses = Course.objects.approved().prefetch_related("instructors__provider")
    if query:
        courses = courses.filter(
            Q(topic__icontains=query) | Q(title__icontains=query) | Q(approval_number=query.upper())
        )
    if on:
        courses = courses.filter(starts_on__lte=on, ends_on__gte=on)
    if delivery:
        courses = courses.filter(delivery=delivery)
    return courses.order_by("starts_on", "title")


def courses_of(user) -> QuerySet[Course]:
    """The courses a training institution's account applied for (nobody else's)."""
    if not getattr(user, "is_authenticated", False):
        return Course.objects.none()
    return Course.objects.filter(institution=user).prefetch_related("instructors")


def course_by_approval_number(number: str) -> Course | None:
    return Course.objects.approved().filter(approval_number=(number or "").strip().upper()).first()


def state_approval_problem(number: str, *, completed_on: date | None) -> str | None:
    """Why a T3 number on a CE record or an application does not hold, or None when it does:
    it must be an approved course, and the course date within its approved dates."""
    number = (number or "").strip().upper()
    course = course_by_approval_number(number)
    if course is None:
        pending = Course.objects.filter(approval_number=number).exclude(
            status=CourseStatus.APPROVED
        )
        if pending.exists():
            return f"Course {number} is not approved."
        return (
            f"No approved course has the state approval number {number}. Check the number on "
            "your certificate, or search the course catalogue."
        )
    if completed_on and not (course.starts_on <= completed_on <= course.ends_on):
        return (
            f"Course {number} ({course.title}) is approved from {course.starts_on:%B %-d, %Y} "
            f"to {course.ends_on:%B %-d, %Y}; the date you entered is outside those dates."
        )
    return None
