"""Instructor/Coordinator and Examiner credentials: renewed on their own deadline, decided only
once the underlying EMT/AEMT/Paramedic certification has renewed."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.transitions import locked, save_with_audit, transition, transition_once

from . import rules
from .models import (
    CREDENTIAL_RENEWAL_TRANSITIONS,
    Credential,
    CredentialRenewal,
    CredentialRenewalStatus,
)
from .selectors import credential_renewal_current

OPEN_CREDENTIAL_RENEWAL_STATUSES = {
    CredentialRenewalStatus.PENDING_UNDERLYING,
    CredentialRenewalStatus.READY,
}


def _underlying_renewed(credential: Credential) -> bool:
    # Renewed = the state record of the underlying certification now runs past the
    # credential's current expiration, and the certification is in good standing.
    underlying = credential.underlying
    return (
        underlying.expires_on > credential.expires_on
        and underlying.status == rules.CertificationStatus.ACTIVE
    )


def _require_underlying_renewed(renewal: CredentialRenewal) -> None:
    if not _underlying_renewed(renewal.credential):
        raise DomainError("The underlying certification has not renewed yet.")


@transaction.atomic
def credential_renewal_submit(
    *, credential: Credential, actor, today: date | None = None
) -> CredentialRenewal:
    today = today or timezone.localdate()
    if credential.provider.user_id != getattr(actor, "pk", None):
        raise DomainError("This credential is not linked to your account.")
    if today > credential.deadline:
        raise DomainError(
            f"The deadline to renew this credential was {credential.deadline:%B %-d, %Y}; "
            "nothing is accepted after it."
        )
    if not rules.credential_window_open(expiration=credential.expires_on, today=today):
        opens = rules.credential_renewal_opens_on(credential.expires_on)
        raise DomainError(f"The renewal of this credential opens on {opens:%B %-d, %Y}.")
    current = credential_renewal_current(credential)
    if current is not None and current.status in OPEN_CREDENTIAL_RENEWAL_STATUSES:
        return current
    if current is not None:
        raise DomainError(
            f"This credential's renewal was {current.get_status_display().lower()} on "
            f"{timezone.localdate(current.decided_at or current.updated_at):%B %-d, %Y}."
        )
    renewal = CredentialRenewal(
        credential=credential,
        status=(
            CredentialRenewalStatus.READY
            if _underlying_renewed(credential)
            else CredentialRenewalStatus.PENDING_UNDERLYING
        ),
    )
    return save_with_audit(renewal, actor=actor, reason="Submitted")


@transaction.atomic
def credential_renewal_mark_ready(*, renewal: CredentialRenewal, actor) -> CredentialRenewal:
    return transition_once(
        renewal,
        allowed=CREDENTIAL_RENEWAL_TRANSITIONS,
        target=CredentialRenewalStatus.READY,
        actor=actor,
        reason="Underlying certification renewed",
        check=_require_underlying_renewed,
    )[0]


@transaction.atomic
def credential_renewal_approve(*, renewal: CredentialRenewal, actor) -> CredentialRenewal:
    renewal = locked(renewal)
    if renewal.status == CredentialRenewalStatus.APPROVED:
        return renewal
    credential = locked(renewal.credential)
    new_expiration = rules.add_years(credential.expires_on, rules.CREDENTIAL_CYCLE_YEARS)
    transition(
        renewal,
        allowed=CREDENTIAL_RENEWAL_TRANSITIONS,
        target=CredentialRenewalStatus.APPROVED,
        actor=actor,
        reason="Approved",
        changes={
            "decided_at": timezone.now(),
            "decided_by": actor,
            "new_expires_on": new_expiration,
        },
    )
    credential.expires_on = new_expiration
    save_with_audit(
        credential, actor=actor, reason="Renewed", update_fields=["expires_on", "updated_at"]
    )
    return renewal


@transaction.atomic
def credential_renewal_deny(*, renewal: CredentialRenewal, actor, reason: str) -> CredentialRenewal:
    return transition_once(
        renewal,
        allowed=CREDENTIAL_RENEWAL_TRANSITIONS,
        target=CredentialRenewalStatus.DENIED,
        actor=actor,
        reason=reason or "Denied",
        changes={"decided_at": timezone.now(), "decided_by": actor},
    )[0]
