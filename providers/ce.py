"""Continuing education: the check of course approval numbers and uploads, and the provider's
CE records (added with their certificate; kept once part of a submitted application)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.files import upload_problem
from core.transitions import save_with_audit
from education.selectors import state_approval_problem

from . import rules
from .models import ApplicationStatus, CEDelivery, CERecord, Provider


def approval_number_check(number: str, *, completed_on: date | None, field: str) -> None:
    """THE check of a course approval number (CE records, initial applications): the format of
    both kinds; a T3 (state) number must also be an approved course in the catalogue whose
    approved dates hold ``completed_on``. F3 (CAPCE) numbers are checked for format only."""
    if not number:
        return
    kind = rules.approval_number_kind(number)
    if kind is None:
        raise DomainError(
            f"This is not an approval number. Use {rules.APPROVAL_NUMBER_HELP}.", field=field
        )
    if kind == "T3":
        problem = state_approval_problem(number, completed_on=completed_on)
        if problem:
            raise DomainError(problem, field=field)


def upload_check(file, *, field: str) -> None:
    """A PDF, PNG or JPEG (proved by content, core.files) of at most UPLOAD_MAX_BYTES."""
    if file is None:
        return
    if file.size > rules.UPLOAD_MAX_BYTES:
        raise DomainError(
            f"This file is {file.size / 1024 / 1024:.1f} MB; the limit is "
            f"{rules.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
            field=field,
        )
    problem = upload_problem(file)
    if problem:
        raise DomainError(problem, field=field)


@transaction.atomic
def ce_record_add(
    *,
    provider: Provider,
    actor,
    course_title: str,
    completed_on: date,
    hours: Decimal,
    component: str,
    delivery: str,
    approval_number: str = "",
    certificate=None,
) -> CERecord:
    today = timezone.localdate()
    if completed_on > today:
        raise DomainError("The course date cannot be in the future.", field="completed_on")
    hours = Decimal(hours)
    if hours <= 0 or hours > rules.MAX_CE_HOURS_PER_COURSE:
        raise DomainError(
            f"Enter the hours of this course, more than 0 and at most "
            f"{rules.MAX_CE_HOURS_PER_COURSE}.",
            field="hours",
        )
    if (hours * 4) % 1:
        raise DomainError("Hours are counted in quarter hours (e.g. 1.25).", field="hours")
    approval_number = (approval_number or "").strip().upper()
    if delivery == CEDelivery.DISTRIBUTIVE and not approval_number:
        raise DomainError(
            f"A distributive-education course has an approval number: {rules.APPROVAL_NUMBER_HELP}.",
            field="approval_number",
        )
    approval_number_check(approval_number, completed_on=completed_on, field="approval_number")
    upload_check(certificate, field="certificate")
    record = CERecord(
        provider=provider,
        course_title=course_title.strip(),
        completed_on=completed_on,
        hours=hours,
        component=component,
        delivery=delivery,
        approval_number=approval_number,
    )
    if certificate is not None:
        record.certificate = certificate
    return save_with_audit(record, actor=actor, reason="CE recorded")


@transaction.atomic
def ce_record_delete(*, record: CERecord, actor) -> None:
    editable = [ApplicationStatus.DRAFT, ApplicationStatus.RETURNED]
    if (
        record.applications.exclude(status__in=editable).exists()
        or record.reinstatements.exclude(status__in=editable).exists()
    ):
        raise DomainError("This course is part of a submitted application and stays on record.")
    record._history_user = actor  # type: ignore[attr-defined]  # simple-history reads it on delete
    record.delete()
