"""Administrators: linking an account to an organization with its PIN, transferring the
administrator, and the contact details they keep."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import roles
from accounts.models import User
from core.cache import count_in_window
from core.errors import DomainError
from core.outbox import enqueue
from core.transitions import locked, save_with_audit

from .. import emails, rules
from ..models import (
    Organization,
    OrganizationLinkPin,
)


def _pin_hash(pin: str, *, pin_id_salt: str) -> str:
    return salted_hmac(
        "organizations.link-pin", f"{pin_id_salt}:{pin}", algorithm="sha256"
    ).hexdigest()


def _organization_by_number(number: str) -> Organization:
    organization = Organization.objects.filter(number__iexact=(number or "").strip()).first()
    if organization is None:
        raise DomainError("No organization has this license or certificate number.", field="number")
    return organization


PIN_REQUESTS_THROTTLED = (
    "Too many PIN requests in the last hour. Try again later, or call the office if the PIN "
    "does not arrive."
)


def _pin_request_over_limit(key: str, limit: int) -> bool:
    return count_in_window(key, rules.PIN_REQUEST_WINDOW_SECONDS) > limit


@transaction.atomic
def organization_link_request(
    *, user, number: str, ip_address: str | None = None
) -> OrganizationLinkPin:
    """Email a one-time PIN to the organization's address on file. Earlier unused PINs of this
    user for this organization stop working. Requests are limited per client address (before
    the number is even looked up) and per organization."""
    if _pin_request_over_limit(
        f"organizations:pin-request:ip:{ip_address or 'unknown'}", rules.PIN_REQUESTS_PER_ADDRESS
    ):
        raise DomainError(PIN_REQUESTS_THROTTLED, code="throttled")
    organization = _organization_by_number(number)
    if _pin_request_over_limit(
        f"organizations:pin-request:organization:{organization.pk}",
        rules.PIN_REQUESTS_PER_ORGANIZATION,
    ):
        raise DomainError(PIN_REQUESTS_THROTTLED, code="throttled")
    if organization.administrators.filter(pk=user.pk).exists():
        raise DomainError("You already administer this organization.", field="number")
    if not organization.email:
        raise DomainError(
            "This organization has no email address on file; call the office.", field="number"
        )
    now = timezone.now()
    OrganizationLinkPin.objects.filter(
        organization=organization, user=user, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    pin = "".join(secrets.choice("0123456789") for _ in range(rules.PIN_DIGITS))
    record = OrganizationLinkPin.objects.create(
        organization=organization,
        user=user,
        pin_hash=_pin_hash(pin, pin_id_salt=f"{organization.pk}:{user.pk}"),
        expires_at=now + timedelta(minutes=rules.PIN_VALID_MINUTES),
    )
    transaction.on_commit(
        lambda: emails.send_link_pin(
            organization=organization,
            pin=pin,
            requested_by=user,
            valid_minutes=rules.PIN_VALID_MINUTES,
        )
    )
    return record


def organization_link_confirm(*, user, number: str, pin: str) -> Organization:
    """Check the PIN; the right, unexpired, unused one makes ``user`` an administrator.
    A wrong PIN counts as a failed attempt (kept even though the link is refused)."""
    organization = _organization_by_number(number)
    now = timezone.now()
    salt = f"{organization.pk}:{user.pk}"
    given = _pin_hash((pin or "").strip(), pin_id_salt=salt)
    pins = list(OrganizationLinkPin.objects.filter(organization=organization, user=user))
    if not pins:
        raise DomainError("Ask for a PIN first; none was sent for this organization.", field="pin")
    match = next((p for p in pins if constant_time_compare(p.pin_hash, given)), None)
    if match is None:
        latest = pins[0]
        if latest.used_at is None and latest.expires_at > now:
            failed = latest.failed_attempts + 1
            changes: dict[str, object] = {"failed_attempts": failed}
            if failed >= rules.PIN_MAX_ATTEMPTS:
                changes["expires_at"] = now  # too many tries: this PIN is spent
            OrganizationLinkPin.objects.filter(pk=latest.pk).update(**changes)
        raise DomainError("That PIN is not correct.", field="pin")
    if match.used_at is not None:
        raise DomainError(
            "This PIN has already been used. Ask for a new one if you need to link again.",
            field="pin",
        )
    if match.expires_at <= now:
        raise DomainError("This PIN has expired. Ask for a new one.", field="pin")
    with transaction.atomic():
        # The claim: exactly one request can mark this PIN used.
        claimed = OrganizationLinkPin.objects.filter(
            pk=match.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            raise DomainError(
                "This PIN has already been used. Ask for a new one if you need to link again.",
                field="pin",
            )
        organization.administrators.add(user)
        user.groups.add(Group.objects.get(name=roles.ORGANIZATION_ADMINISTRATOR))
        save_with_audit(organization, actor=user, reason="Administrator linked with a PIN")
    return organization


@transaction.atomic
def organization_administrator_transfer(
    *, organization: Organization, actor, to_email: str
) -> User:
    """Hand the organization's administration from ``actor`` to another portal account."""
    organization = locked(organization)
    if not organization.administrators.filter(pk=actor.pk).exists():
        raise DomainError("Only an administrator of this organization can hand it over.")
    new_administrator = User.objects.filter(email__iexact=(to_email or "").strip()).first()
    if new_administrator is None:
        raise DomainError(
            "Nobody has a portal account with this email; ask them to create one first.",
            field="email",
        )
    if new_administrator.pk == actor.pk:
        raise DomainError("Enter the email of the person taking over, not yours.", field="email")
    organization.administrators.add(new_administrator)
    organization.administrators.remove(actor)
    new_administrator.groups.add(Group.objects.get(name=roles.ORGANIZATION_ADMINISTRATOR))
    save_with_audit(
        organization, actor=actor, reason=f"Administration transferred to {new_administrator.email}"
    )
    enqueue(emails.send_administrator_transferred, organization.pk, new_administrator.pk, actor.pk)
    return new_administrator


@transaction.atomic
def organization_update_contact(*, organization: Organization, actor, **fields) -> Organization:
    """The organization's own contact details (what an administrator may edit)."""
    allowed = {
        "email",
        "phone",
        "street",
        "city",
        "postal_code",
        "mailing_address",
        "doing_business_as",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    organization = locked(organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    return save_with_audit(
        organization,
        actor=actor,
        reason="Contact details updated",
        update_fields=[*fields, "updated_at"],
    )
