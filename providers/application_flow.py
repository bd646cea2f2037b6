"""The review steps that initial and reinstatement applications share with renewals: fee,
payment, hold, submission, review, return with coded reasons, denial. Each named service in
``initial.py`` and ``reinstatement.py`` is one transition and calls one of these with what is
its own (what is still missing, its fee, its emails).

The renewal services keep their own copies: they were here first and their behaviour is
covered by their own tests; new kinds of application use this module.
"""

from collections.abc import Callable

from django.utils import timezone

from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import locked, transition

from .models import APPLICATION_TRANSITIONS, ApplicationStatus

Status = ApplicationStatus


def require_complete(application, missing: Callable[[object], dict[str, str]]) -> None:
    problems = missing(application)
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field, code="incomplete")


def request_fee(application, *, actor, missing, fee_code: str, description: str, payer) -> object:
    """Draft → fee due once nothing is missing; opens the fee's invoice (idempotent)."""
    from payments.services import invoice_open

    application = locked(application)
    if application.status == Status.FEE_DUE:
        return application
    require_complete(application, missing)
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.FEE_DUE,
        actor=actor,
        reason="Fee due",
    )
    invoice_open(
        subject=application, payer=payer, fee_code=fee_code, description=description, actor=actor
    )
    return application


def mark_paid(application, *, actor=None):
    """The fee is settled: fee due → paid, or back from hold to where the application was."""
    application = locked(application)
    if application.status == Status.ON_HOLD:
        target = application.status_before_hold or Status.PAID
        return transition(
            application,
            allowed=APPLICATION_TRANSITIONS,
            target=target,
            actor=actor,
            reason="Paid again after a returned payment",
            changes={"status_before_hold": ""},
        )
    if application.status != Status.FEE_DUE:
        return application  # a repeated signal changes nothing
    return transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.PAID,
        actor=actor,
        reason="Fee paid",
    )


def put_on_hold(application, *, actor=None, reason="Payment returned"):
    application = locked(application)
    if application.status == Status.ON_HOLD:
        return application
    return transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.ON_HOLD,
        actor=actor,
        reason=reason,
        changes={"status_before_hold": application.status},
    )


def submit(application, *, actor, missing, on_done: Callable[[int], None]):
    """Paid → submitted ("submission comes after payment"); the processing clock starts."""
    application = locked(application)
    if application.status == Status.SUBMITTED:
        return application
    if application.status in (Status.DRAFT, Status.FEE_DUE):
        raise DomainError("Pay the fee first; submission comes after payment.")
    require_complete(application, missing)
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.SUBMITTED,
        actor=actor,
        reason="Submitted",
        changes={"submitted_at": timezone.now(), "complete_on": timezone.localdate()},
    )
    pk = application.pk
    enqueue(on_done, pk)  # core.outbox: recorded in this transaction
    return application


def resubmit(application, *, actor, missing, on_done: Callable[[int], None]):
    """Returned → resubmitted once fixed; the clock restarts today."""
    application = locked(application)
    if application.status == Status.RESUBMITTED:
        return application
    require_complete(application, missing)
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.RESUBMITTED,
        actor=actor,
        reason="Resubmitted",
        changes={"complete_on": timezone.localdate()},
    )
    pk = application.pk
    enqueue(on_done, pk)  # core.outbox: recorded in this transaction
    return application


def start_review(application, *, actor, note=""):
    application = locked(application)
    if application.status == Status.IN_REVIEW:
        return application
    return transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.IN_REVIEW,
        actor=actor,
        reason=note or "Review started",
    )


def return_incomplete(application, *, actor, reasons, note="", on_done):
    """In review → returned incomplete with one or more coded reasons; the clock stops."""
    reasons = list(reasons)
    if not reasons:
        raise DomainError("Choose at least one reason.", field="reasons")
    application = locked(application)
    if application.status == Status.RETURNED:
        return application
    application.return_reasons.set(reasons)  # before the save, so the history row has them
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.RETURNED,
        actor=actor,
        reason="Returned incomplete: " + "; ".join(reason.label for reason in reasons),
        changes={"return_note": note, "complete_on": None},
    )
    pk = application.pk
    enqueue(on_done, pk)  # core.outbox: recorded in this transaction
    return application


def deny(application, *, actor, note, on_done):
    if not (note or "").strip():
        raise DomainError(
            "Say why the application is denied; the applicant reads it.", field="note"
        )
    application = locked(application)
    if application.status == Status.DENIED:
        return application
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.DENIED,
        actor=actor,
        reason=note,
        changes={"decided_at": timezone.now(), "decided_by": actor, "decision_note": note},
    )
    pk = application.pk
    enqueue(on_done, pk)  # core.outbox: recorded in this transaction
    return application
