"""Linking a portal account to a certification: number + date of birth + SSN, throttled per
account and per address, every attempt logged; one account links one person."""

import hmac
from datetime import date

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.views.decorators.debug import sensitive_variables

from core.cache import count_in_window
from core.errors import DomainError
from core.transitions import locked, save_with_audit

from . import rules
from .models import Certification, LinkAttempt, LinkOutcome, Provider
from .ssn import ssn_hash

COULD_NOT_MATCH = (
    "We could not match these details to a certification. Check them against your card and "
    "try again; if they are right, contact the office."
)
TOO_MANY = "Too many attempts to link a certification. Try again in 15 minutes."


def _throttle_keys(user, ip_address):
    return [
        (f"providers:link:user:{user.pk}", rules.LINK_FAILURES_PER_ACCOUNT),
        (f"providers:link:ip:{ip_address or 'unknown'}", rules.LINK_FAILURES_PER_ADDRESS),
    ]


def _count_failure(user, ip_address):
    for key, _limit in _throttle_keys(user, ip_address):
        # the window is from the first failure
        count_in_window(key, rules.LINK_THROTTLE_SECONDS)


def _log_link(user, ip_address, number, outcome):
    LinkAttempt.objects.create(
        user=user, ip_address=ip_address, number_entered=number[:20], outcome=outcome
    )


@sensitive_variables("ssn", "date_of_birth")
def certification_link(
    *, user, number: str, date_of_birth: date, ssn: str, ip_address: str | None
) -> Certification:
    """Link ``user`` to the person holding ``number`` when DOB and SSN match. Failures say
    "could not match" without naming the field, are counted per account and per address
    (cache) and logged in LinkAttempt for staff."""
    number = rules.normalize_number(number)
    for key, limit in _throttle_keys(user, ip_address):
        if (cache.get(key) or 0) >= limit:
            _log_link(user, ip_address, number, LinkOutcome.THROTTLED)
            raise DomainError(TOO_MANY, code="throttled")

    certification = (
        Certification.objects.select_related("provider").filter(number=number).first()
        if rules.level_of_number(number)
        else None
    )
    matched = (
        certification is not None
        and certification.provider.date_of_birth == date_of_birth
        and hmac.compare_digest(certification.provider.ssn_hmac, ssn_hash(ssn))
    )
    if certification is None or not matched:
        _count_failure(user, ip_address)
        _log_link(user, ip_address, number, LinkOutcome.NO_MATCH)
        raise DomainError(COULD_NOT_MATCH, code="no_match")

    provider = certification.provider
    held = Provider.objects.filter(user=user).first()
    if (held and held.pk != provider.pk) or (provider.user_id and provider.user_id != user.pk):
        _log_link(user, ip_address, number, LinkOutcome.OTHER_PERSON)
        raise DomainError(
            "This account already holds another person's certifications, or this person is "
            "linked to another account. One account links one person; contact the office if "
            "this is wrong.",
            code="other_person",
        )
    if provider.user_id != user.pk:
        with transaction.atomic():
            provider = locked(provider)
            if provider.user_id and provider.user_id != user.pk:
                raise DomainError("This person is linked to another account.")
            provider.user = user
            try:
                save_with_audit(
                    provider, actor=user, reason="Account linked", update_fields=["user"]
                )
            except IntegrityError as error:  # the same account linked elsewhere meanwhile
                raise DomainError("This account already holds another person.") from error
    _log_link(user, ip_address, number, LinkOutcome.LINKED)
    return certification
