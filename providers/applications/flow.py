"""The one review lifecycle of every provider application — renewal, initial certification,
reinstatement: fee due → paid → submitted → in review → returned / approved / denied, and the
hold a returned payment puts on it until the balance is paid.

Each kind registers an ``ApplicationKind`` saying only what is its own: what "complete" means
(``missing``), its fee, what approval does, its emails and the wording of two refusals. The
services below are every kind's services (``renewal.renewal_submit`` *is*
``application_submit``), each one transition in the ``core.transitions`` recipe: lock, return
early when already there, check ``APPLICATION_TRANSITIONS``, one audited save, emails on commit.

Payments tells an application about its invoice through ``payments.signals``; the receivers are
here, once for every kind (``connect_payment_signals``). A payment returned after the decision
leaves the decision standing (``application_put_on_hold``); the balance stays on the payer's
account and payments emails them.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import check_transition, locked, save_with_audit, transition, transition_once
from payments import signals as payment_signals
from payments.services import invoice_open

from .. import selectors
from ..certifications import certification_card_queue
from ..models import (
    APPLICATION_TRANSITIONS,
    DECIDED_STATUSES,
    ApplicationStatus,
    Certification,
    ReviewedApplication,
)

Status = ApplicationStatus

ON_HOLD_MESSAGE = (
    "This application is on hold because its payment was returned. It continues where it was "
    "once the balance is paid."
)
RETURNED_PAYMENT_REASON = "Payment returned; fee due again"


@dataclass(frozen=True)
class Approval:
    """What a kind's approval did: the fields it sets on the application, the reason the audit
    row gives when the reviewer wrote no note, and the certification whose card is emailed."""

    changes: Mapping[str, object]
    reason: str = "Approved"
    card_for: Certification | None = None


@dataclass(frozen=True)
class Emails:
    """One function per email of a kind, each called on commit with the application's id."""

    received: Callable[[int], None]
    returned: Callable[[int], None]
    approved: Callable[[int], None]
    denied: Callable[[int], None]


@dataclass(frozen=True)
class ApplicationKind:
    model: type[ReviewedApplication]
    # What the application still needs before its fee and submission, by form field.
    missing: Callable[[Any], dict[str, str]]
    fee_code: str
    fee_description: Callable[[Any], str]
    # The kind's own work on approval, inside the approval's transaction; the transition to
    # approved is checked before it runs.
    approve: Callable[..., Approval]
    emails: Emails
    # Wording the applicant has always seen for this kind.
    fee_name: str = "fee"
    denial_reader: str = "applicant"
    # Extra fields a return sets (renewal goes back to its first step).
    return_changes: Mapping[str, object] = field(default_factory=dict)


_KINDS: dict[type, ApplicationKind] = {}


def register(kind: ApplicationKind) -> ApplicationKind:
    _KINDS[kind.model] = kind
    return kind


def kind_of(application: ReviewedApplication) -> ApplicationKind:
    return _KINDS[type(application)]


def registered_models() -> list[type[ReviewedApplication]]:
    return list(_KINDS)


def require_complete(application: ReviewedApplication) -> None:
    problems = kind_of(application).missing(application)
    if problems:
        name, message = next(iter(problems.items()))
        raise DomainError(message, field=name, code="incomplete")


def signature_of(person, typed: str | None) -> str:
    """The attestation's typed name, refused unless it is the person's name on the record."""
    typed = " ".join((typed or "").split())
    names = {person.full_name.lower(), f"{person.first_name} {person.last_name}".lower()}
    if typed.lower() not in names:
        raise DomainError(
            f"Type your name as it is on your certification: {person.full_name}.",
            field="attestation_name",
        )
    return typed


def ce_and_signature_missing(application) -> dict[str, str]:
    """What renewal and reinstatement both ask: the cycle's CE complete, the attestation signed."""
    missing = {}
    progress = selectors.ce_progress(application.certification)
    if not progress.complete:
        missing["ce"] = (
            f"Your continuing education is not complete: {progress.remaining_summary}. "
            "Record the missing hours first."
        )
    if not application.attested_at:
        missing["attestation_name"] = "Sign the attestation by typing your name."
    return missing


def new_expiration_approval(
    application,
    *,
    actor,
    reason: str,
    expires_on: Callable[[Certification], date],
    card: bool = False,
) -> Approval:
    """An approval that gives the application's certification a new expiration date on the
    state record (the truth verification shows): ``expires_on`` of the locked certification,
    one audited save with ``reason``; the application keeps the previous and the new date.
    With ``card``, the new card is emailed."""
    certification = locked(application.certification)
    previous = certification.expires_on
    certification.expires_on = expires_on(certification)
    save_with_audit(
        certification, actor=actor, reason=reason, update_fields=["expires_on", "updated_at"]
    )
    return Approval(
        changes={"previous_expires_on": previous, "new_expires_on": certification.expires_on},
        card_for=certification if card else None,
    )


def _refuse_on_hold(application: ReviewedApplication) -> None:
    # Off hold goes only through application_mark_paid (the balance paid), back to where it
    # was; the table allows those targets from ON_HOLD for that one path.
    if application.status == Status.ON_HOLD:
        raise DomainError(ON_HOLD_MESSAGE, code="on_hold")


def _require_resubmittable(application: ReviewedApplication) -> None:
    _refuse_on_hold(application)
    require_complete(application)


def _require_submittable(application: ReviewedApplication) -> None:
    if application.status in (Status.DRAFT, Status.FEE_DUE):
        fee_name = kind_of(application).fee_name
        raise DomainError(f"Pay the {fee_name} first; submission comes after payment.")
    _require_resubmittable(application)


def _on_commit(send: Callable[[int], None], application: ReviewedApplication) -> None:
    pk = application.pk
    enqueue(send, pk)  # core.outbox: recorded in this transaction, sent after commit


def _move_once(
    application,
    target: str,
    *,
    actor,
    reason: str,
    changes: Mapping[str, object] | None = None,
    check: Callable[[Any], None] | None = None,
    email: Callable[[int], None] | None = None,
) -> tuple[Any, bool]:
    """The recipe most moves here are: lock; nothing written when already at ``target`` (a
    double click acts once); ``check`` the locked row; one audited transition; ``email`` the
    applicant on commit. ``moved`` says whether this call made the move."""
    application, moved = transition_once(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=target,
        actor=actor,
        reason=reason,
        changes=changes,
        check=check,
    )
    if moved and email is not None:
        _on_commit(email, application)
    return application, moved


@transaction.atomic
def application_request_fee(*, application, actor):
    """Draft → fee due once nothing is missing; opens the kind's invoice (idempotent)."""
    kind = kind_of(application)
    application, moved = _move_once(
        application, Status.FEE_DUE, actor=actor, reason="Fee due", check=require_complete
    )
    if not moved:
        return application
    invoice_open(
        subject=application,
        payer=application.applicant,
        fee_code=kind.fee_code,
        description=kind.fee_description(application),
        actor=actor,
    )
    return application


@transaction.atomic
def application_mark_paid(*, application, actor=None):
    """The fee is settled (``invoice_paid``): fee due → paid, or back from hold to where the
    application was when the payment came back. Anything else (a repeated signal, a balance
    paid after the decision) changes nothing."""
    application = locked(application)
    if application.status == Status.ON_HOLD:
        return transition(
            application,
            allowed=APPLICATION_TRANSITIONS,
            target=application.status_before_hold or Status.PAID,
            actor=actor,
            reason="Paid again after a returned payment",
            changes={"status_before_hold": ""},
        )
    if application.status != Status.FEE_DUE:
        return application
    return transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.PAID,
        actor=actor,
        reason="Fee paid",
    )


@transaction.atomic
def application_put_on_hold(*, application, actor=None, reason="Payment returned"):
    """A payment came back (``invoice_returned``): the application waits, remembering where it
    was. THE rule for a return after the decision, for every kind: the decision stands (the
    certification stays as decided; the balance stays on the payer's account)."""
    application = locked(application)
    if application.status == Status.ON_HOLD or application.status in DECIDED_STATUSES:
        return application
    return transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.ON_HOLD,
        actor=actor,
        reason=reason,
        changes={"status_before_hold": application.status},
    )


@transaction.atomic
def application_submit(*, application, actor):
    """Paid → submitted ("submission comes after payment"); the processing clock starts today."""
    return _move_once(
        application,
        Status.SUBMITTED,
        actor=actor,
        reason="Submitted",
        changes={"submitted_at": timezone.now(), "complete_on": timezone.localdate()},
        check=_require_submittable,
        email=kind_of(application).emails.received,
    )[0]


@transaction.atomic
def application_resubmit(*, application, actor):
    """Returned → resubmitted once fixed; the clock restarts today."""
    return _move_once(
        application,
        Status.RESUBMITTED,
        actor=actor,
        reason="Resubmitted",
        changes={"complete_on": timezone.localdate()},
        check=_require_resubmittable,
        email=kind_of(application).emails.received,
    )[0]


@transaction.atomic
def application_start_review(*, application, actor, note: str = ""):
    return _move_once(
        application,
        Status.IN_REVIEW,
        actor=actor,
        reason=note or "Review started",
        check=_refuse_on_hold,
    )[0]


@transaction.atomic
def application_return_incomplete(*, application, actor, reasons, note: str = ""):
    """In review → returned incomplete with one or more coded reasons; the clock stops."""
    kind = kind_of(application)
    reasons = list(reasons)
    if not reasons:
        raise DomainError("Choose at least one reason.", field="reasons")
    application = locked(application)
    if application.status == Status.RETURNED:
        return application
    _refuse_on_hold(application)
    check_transition(
        APPLICATION_TRANSITIONS,
        current=application.status,
        target=Status.RETURNED,
        label_of=lambda value: Status(value).label,
    )
    application.return_reasons.set(reasons)  # before the save, so the history row has them
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.RETURNED,
        actor=actor,
        reason="Returned incomplete: " + "; ".join(reason.label for reason in reasons),
        changes={"return_note": note, "complete_on": None, **kind.return_changes},
    )
    _on_commit(kind.emails.returned, application)
    return application


@transaction.atomic
def application_approve(*, application, actor, note: str = "", **options):
    """In review → approved: the kind does what approval means for it (``options`` are its
    own, e.g. reinstatement's ``today``); the approval email and, where the kind issues one,
    the card go out on commit."""
    kind = kind_of(application)
    application = locked(application)
    if application.status == Status.APPROVED:
        return application
    check_transition(
        APPLICATION_TRANSITIONS,
        current=application.status,
        target=Status.APPROVED,
        label_of=lambda value: Status(value).label,
    )
    approval = kind.approve(application, actor=actor, **options)
    transition(
        application,
        allowed=APPLICATION_TRANSITIONS,
        target=Status.APPROVED,
        actor=actor,
        reason=note or approval.reason,
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor,
            "decision_note": note,
            **approval.changes,
        },
    )
    _on_commit(kind.emails.approved, application)
    if approval.card_for is not None:
        certification_card_queue(certification_pk=approval.card_for.pk)
    return application


@transaction.atomic
def application_deny(*, application, actor, note: str):
    kind = kind_of(application)
    if not (note or "").strip():
        raise DomainError(
            f"Say why the application is denied; the {kind.denial_reader} reads it.",
            field="note",
        )
    return _move_once(
        application,
        Status.DENIED,
        actor=actor,
        reason=note,
        changes={"decided_at": timezone.now(), "decided_by": actor, "decision_note": note},
        email=kind.emails.denied,
    )[0]


# --- What payments tells an application (payments.signals, sent on commit) --------------------


def on_invoice_paid(sender, *, invoice, subject, **kwargs) -> None:
    application_mark_paid(application=subject, actor=None)


def on_invoice_returned(sender, *, invoice, subject, **kwargs) -> None:
    application_put_on_hold(application=subject, actor=None, reason=RETURNED_PAYMENT_REASON)


def connect_payment_signals() -> None:
    """Called once from ``ProvidersConfig.ready``, after every kind has registered."""
    for model in registered_models():
        label = model._meta.model_name
        payment_signals.invoice_paid.connect(
            on_invoice_paid, sender=model, dispatch_uid=f"providers-{label}-paid"
        )
        payment_signals.invoice_returned.connect(
            on_invoice_returned, sender=model, dispatch_uid=f"providers-{label}-returned"
        )
