"""Chief of service change reports: the organization reports a new chief; staff accept or return it."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import save_with_audit, transition_once

from .. import emails, rules
from ..models import (
    CHIEF_REPORT_TRANSITIONS,
    ChiefChangeReport,
    ChiefReportStatus,
    Organization,
    OrganizationPerson,
    PersonRole,
)
from .people import person_appoint


@transaction.atomic
def chief_report_submit(
    *,
    organization: Organization,
    reported_by,
    new_chief_name: str,
    new_chief_email: str,
    effective_date: date,
    letterhead,
    new_chief_phone: str = "",
) -> ChiefChangeReport:
    today = timezone.localdate()
    if effective_date > today:
        raise DomainError(
            "Report a new chief once they have taken office; the date cannot be in the future.",
            field="effective_date",
        )
    report = ChiefChangeReport(
        organization=organization,
        reported_by=reported_by,
        new_chief_name=new_chief_name,
        new_chief_email=new_chief_email,
        new_chief_phone=new_chief_phone,
        effective_date=effective_date,
        letterhead=letterhead,
        submitted_on=today,
        due_on=rules.chief_change_due_date(effective_date),
    )
    save_with_audit(report, actor=reported_by, reason="Chief of service change reported")
    enqueue(emails.send_chief_report_status, report.pk)
    return report


def _decide(report: ChiefChangeReport, *, actor, target: str, reason: str, note: str):
    """The office's decision on a report: one audited move (none when the report is already
    there) and, when it moved, the organization's status email."""
    report, moved = transition_once(
        report,
        allowed=CHIEF_REPORT_TRANSITIONS,
        target=target,
        actor=actor,
        reason=reason,
        changes={"decided_at": timezone.now(), "decision_note": note},
    )
    if moved:
        enqueue(emails.send_chief_report_status, report.pk)
    return report, moved


@transaction.atomic
def chief_report_accept(*, report: ChiefChangeReport, actor, note: str = "") -> ChiefChangeReport:
    """The office accepts the report: the new chief becomes the organization's chief of
    service from the effective date, the previous one's row is ended."""
    report, moved = _decide(
        report, actor=actor, target=ChiefReportStatus.ACCEPTED, reason=note or "Accepted", note=note
    )
    if moved:
        chief = OrganizationPerson(
            organization=report.organization,
            role=PersonRole.CHIEF_OF_SERVICE,
            full_name=report.new_chief_name,
            email=report.new_chief_email,
            phone=report.new_chief_phone,
            title="Chief of service",
            since=report.effective_date,
        )
        person_appoint(chief, actor=actor, reason=f"Chief of service change report #{report.pk}")
    return report


@transaction.atomic
def chief_report_return(*, report: ChiefChangeReport, actor, note: str) -> ChiefChangeReport:
    if not note.strip():
        raise DomainError("Say what is wrong so the organization can send a new report.")
    report, _ = _decide(
        report, actor=actor, target=ChiefReportStatus.RETURNED, reason=note, note=note
    )
    return report
