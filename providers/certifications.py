"""The state record: people and their certifications — adding them, numbering and issuing a
certification, level changes (supersession), and queueing the card an approval emails."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.enqueue import enqueue_on_commit
from core.errors import DomainError
from core.transitions import locked, save_with_audit

from . import rules
from .models import Certification, NumberSequence, Provider
from .ssn import ssn_keyed


def provider_create(*, first_name, last_name, date_of_birth, ssn, actor=None, **fields) -> Provider:
    ssn_hmac, ssn_last4 = ssn_keyed(ssn)
    return provider_create_keyed(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        ssn_hmac=ssn_hmac,
        ssn_last4=ssn_last4,
        actor=actor,
        **fields,
    )


def provider_create_keyed(
    *, first_name, last_name, date_of_birth, ssn_hmac, ssn_last4, actor=None, reason="", **fields
) -> Provider:
    """A provider from an SSN already turned into its keyed hash (applications, imports)."""
    provider = Provider(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        ssn_hmac=ssn_hmac,
        ssn_last4=ssn_last4,
        **fields,
    )
    return save_with_audit(provider, actor=actor, reason=reason or "Provider added")


def provider_find(*, ssn_hmac: str, date_of_birth: date) -> Provider | None:
    """The person on the record with this SSN (keyed hash) and date of birth, if any."""
    return Provider.objects.filter(ssn_hmac=ssn_hmac, date_of_birth=date_of_birth).first()


@transaction.atomic
def number_next(*, key: str, floor: int = 0) -> int:
    """The next number of the series ``key``, at least ``floor`` + 1, issued once: the series'
    row is locked until the caller's transaction ends."""
    NumberSequence.objects.get_or_create(key=key)
    sequence = NumberSequence.objects.select_for_update().get(key=key)
    sequence.last_value = max(sequence.last_value, floor) + 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value


def certification_number_next(level: str) -> str:
    prefix = rules.LEVEL_PREFIX[level]
    # Numbers loaded by the registry import or typed by staff count too: start above them.
    highest = (
        Certification.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    floor = int(highest[1:]) if highest and rules.level_of_number(highest) == level else 0
    return rules.certification_number(level, number_next(key=f"cert-{prefix}", floor=floor))


@transaction.atomic
def certification_issue(
    *, provider: Provider, level: str, actor, issued_on: date | None = None, reason=""
) -> Certification:
    """A new certification at ``level``: the next number in the level's format, one full cycle.
    A lower certification the person still holds is superseded by it (a level change)."""
    issued_on = issued_on or timezone.localdate()
    current = [
        certification
        for certification in provider.certifications.filter(superseded_by__isnull=True)
        if certification.status_on(issued_on)
        not in (rules.CertificationStatus.EXPIRED, rules.CertificationStatus.REVOKED)
    ]
    for certification in current:
        if rules.LEVEL_RANK[certification.level] >= rules.LEVEL_RANK[level]:
            raise DomainError(
                f"This person already holds {certification.get_level_display()} certification "
                f"{certification.number}; renew or reinstate it instead."
            )
    certification = Certification(
        provider=provider,
        number=certification_number_next(level),
        level=level,
        issued_on=issued_on,
        expires_on=rules.new_cycle_expiration(level=level, starts_on=issued_on),
    )
    save_with_audit(certification, actor=actor, reason=reason or "Certification issued")
    for lower in current:
        certification_supersede(certification=lower, by=certification, actor=actor)
    return certification


@transaction.atomic
def certification_supersede(*, certification: Certification, by: Certification, actor):
    """Level change: ``certification`` is replaced by the higher-level ``by`` from today on.
    Verification then shows it as superseded, pointing to the current one."""
    certification = locked(certification)
    if certification.superseded_by_id == by.pk:
        return certification
    if certification.superseded_by_id:
        raise DomainError("This certification is already superseded.")
    if by.provider_id != certification.provider_id:
        raise DomainError("A certification is superseded only by the same person's.")
    if rules.LEVEL_RANK[by.level] <= rules.LEVEL_RANK[certification.level]:
        raise DomainError("A certification is superseded only by a higher level.")
    certification.superseded_by = by
    certification.superseded_on = by.issued_on
    return save_with_audit(
        certification,
        actor=actor,
        reason=f"Superseded by {by.get_level_display()} {by.number}",
        update_fields=["superseded_by", "superseded_on", "updated_at"],
    )


@transaction.atomic
def certification_level_change(
    *, certification: Certification, level: str, actor, issued_on: date | None = None
) -> Certification:
    """Staff: the holder of ``certification`` moved up to ``level``. Returns the new one."""
    if rules.LEVEL_RANK[level] <= rules.LEVEL_RANK[certification.level]:
        raise DomainError("A level change goes up (e.g. EMT to Paramedic).", field="level")
    return certification_issue(
        provider=certification.provider,
        level=level,
        actor=actor,
        issued_on=issued_on,
        reason=f"Level change from {certification.number}",
    )


def certification_create(
    *, provider, level, sequence=None, number=None, issued_on, expires_on, actor=None
) -> Certification:
    if number is None:
        number = rules.certification_number(level, sequence)
    if rules.level_of_number(number) != level:
        raise DomainError(
            f"A {rules.Level(level).label} number starts with {rules.LEVEL_PREFIX[level]}.",
            field="number",
        )
    certification = Certification(
        provider=provider, number=number, level=level, issued_on=issued_on, expires_on=expires_on
    )
    return save_with_audit(certification, actor=actor, reason="Certification added")


def certification_card_queue(*, certification_pk: int) -> None:
    """The new card is emailed as a PDF once the approval is committed (providers.reminders.cards)."""
    enqueue_on_commit("providers.tasks.send_certification_card", certification_pk, robust=True)
