"""Writes of the education app: a training institution applies for course approval; staff
approve (the course gets the next state T3 approval number of the year) or deny."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, save_with_audit, transition, transition_once
from providers import rules
from providers.models import CEComponent, CEDelivery, Credential, CredentialKind
from providers.services import number_next

from . import selectors
from .models import COURSE_TRANSITIONS, Course, CourseStatus


def _instructors(numbers: list[str], *, starts_on: date) -> list[Credential]:
    wanted = [n.strip().upper() for n in numbers if n.strip()]
    found = {
        credential.number.upper(): credential
        for credential in Credential.objects.filter(
            number__in=wanted, kind=CredentialKind.INSTRUCTOR
        )
    }
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise DomainError(
            f"No Instructor/Coordinator credential numbered {', '.join(unknown)}.",
            field="instructors",
        )
    expired = [c.number for c in found.values() if c.expires_on < starts_on]
    if expired:
        raise DomainError(
            f"Instructor/Coordinator credential {', '.join(expired)} expires before the course "
            "starts.",
            field="instructors",
        )
    return list(found.values())


@transaction.atomic
def course_submit(
    *,
    institution,
    institution_name: str,
    title: str,
    topic: str,
    delivery: str,
    hours: Decimal,
    component: str,
    starts_on: date,
    ends_on: date,
    instructor_numbers: list[str],
    description: str = "",
) -> Course:
    """A training institution applies for approval of a course."""
    if not selectors.is_training_institution(institution):
        raise DomainError("Only a training institution's account applies for course approval.")
    if ends_on < starts_on:
        raise DomainError("The course ends after it starts.", field="ends_on")
    hours = Decimal(hours)
    if hours <= 0 or hours >= 10000 or (hours * 4) % 1:
        raise DomainError("Hours are more than 0, in quarter hours (e.g. 1.25).", field="hours")
    if delivery not in CEDelivery.values:
        raise DomainError("Choose live or distributive.", field="delivery")
    if component not in CEComponent.values:
        raise DomainError("Choose a component.", field="component")
    instructors = _instructors(instructor_numbers, starts_on=starts_on)
    if not instructors:
        raise DomainError("Name at least one Instructor/Coordinator.", field="instructors")
    course = Course(
        institution=institution,
        institution_name=institution_name.strip(),
        title=title.strip(),
        topic=topic.strip(),
        description=description.strip(),
        delivery=delivery,
        hours=hours,
        component=component,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    save_with_audit(course, actor=institution, reason="Submitted for approval")
    course.instructors.set(instructors)
    return course


@transaction.atomic
def course_approve(*, course: Course, actor, note: str = "") -> Course:
    """Submitted → approved with the next state approval number of this year (issued in
    sequence, never twice: the year's counter row is locked until commit)."""
    course = locked(course)
    if course.status == CourseStatus.APPROVED:
        return course
    year = timezone.localdate().year
    number = rules.state_approval_number(year, number_next(key=f"T3-{year}"))
    return transition(
        course,
        allowed=COURSE_TRANSITIONS,
        target=CourseStatus.APPROVED,
        actor=actor,
        reason=note or f"Approved: {number}",
        changes={
            "approval_number": number,
            "decided_at": timezone.now(),
            "decided_by": actor,
            "decision_note": note,
        },
    )


@transaction.atomic
def course_deny(*, course: Course, actor, note: str) -> Course:
    if not (note or "").strip():
        raise DomainError("Say why the course is denied; the institution reads it.", field="note")
    return transition_once(
        course,
        allowed=COURSE_TRANSITIONS,
        target=CourseStatus.DENIED,
        actor=actor,
        reason=note,
        changes={"decided_at": timezone.now(), "decided_by": actor, "decision_note": note},
    )[0]
