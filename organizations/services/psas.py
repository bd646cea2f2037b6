"""Primary Service Areas: which organization covers a town, for which type of service, from when."""

from datetime import date

from django.db import transaction

from core.errors import DomainError
from core.transitions import locked, save_with_audit

from ..models import (
    PSA_TYPES_BY_KIND,
    Organization,
    PrimaryServiceArea,
    PsaType,
    Town,
)


def town_resolve(town: Town | str) -> Town:
    """A Town, or the town of that name (any case); an unknown name is refused."""
    if isinstance(town, Town):
        return town
    name = (town or "").strip()
    found = Town.objects.filter(name__iexact=name).first()
    if found is None:
        raise DomainError(f"There is no Connecticut town named “{name}”.", field="town")
    return found


def psa_check(
    *,
    town: Town | str,
    psa_type: str,
    organization: Organization,
    effective_from: date,
    lock: bool = False,
) -> tuple[Town, PrimaryServiceArea | None]:
    """Refuse an assignment that breaks the PSA rules; return the town and its current holder.
    Forms call it to show the refusal beside the field; psa_assign calls it under a lock."""
    town = town_resolve(town)
    if psa_type not in PsaType.values:
        raise DomainError("Choose a PSA type: first responder, BLS or ALS.", field="psa_type")
    if psa_type not in PSA_TYPES_BY_KIND[organization.kind]:
        raise DomainError(
            f"A {organization.get_kind_display().lower()} cannot hold a "
            f"{PsaType(psa_type).label} PSA.",
            field="psa_type",
        )
    rows = PrimaryServiceArea.objects.filter(town=town, psa_type=psa_type)
    if lock:
        # Lock every row of this town and type so two assignments cannot interleave.
        rows = rows.select_for_update()
    holders = list(rows.select_related("organization").order_by("effective_from"))
    current = next((row for row in holders if row.effective_until is None), None)
    if current is not None:
        if current.organization_id == organization.pk:
            raise DomainError(
                f"{organization.display_name} already holds {town} ({PsaType(psa_type).label}) "
                f"since {current.effective_from:%B %-d, %Y}.",
                field="organization",
            )
        if effective_from <= current.effective_from:
            raise DomainError(
                f"The effective date must be after {current.effective_from:%B %-d, %Y}, when the "
                f"current holder ({current.organization.display_name}) started.",
                field="effective_from",
            )
    for row in holders:
        if row is not current and row.effective_until > effective_from:
            raise DomainError(
                f"This overlaps {row.organization.display_name}'s assignment from "
                f"{row.effective_from:%B %-d, %Y} to {row.effective_until:%B %-d, %Y}.",
                field="effective_from",
            )
    return town, current


@transaction.atomic
def psa_assign(
    *,
    town: Town | str,
    psa_type: str,
    organization: Organization,
    effective_from: date,
    actor,
    reason: str = "",
) -> PrimaryServiceArea:
    """Make ``organization`` the PSA holder of ``town`` for ``psa_type`` from ``effective_from``.
    The current holder's assignment ends that day; history is never rewritten."""
    town, current = psa_check(
        town=town,
        psa_type=psa_type,
        organization=organization,
        effective_from=effective_from,
        lock=True,
    )
    if current is not None:
        current.effective_until = effective_from
        save_with_audit(
            current,
            actor=actor,
            reason=reason or f"Handed to {organization.display_name}",
            update_fields=["effective_until"],
        )
    assignment = PrimaryServiceArea(
        town=town, psa_type=psa_type, organization=organization, effective_from=effective_from
    )
    return save_with_audit(assignment, actor=actor, reason=reason or "PSA assigned")


@transaction.atomic
def psa_end(
    *, assignment: PrimaryServiceArea, effective_until: date, actor, reason: str = ""
) -> PrimaryServiceArea:
    """End an assignment without a successor (the office reassigns the town later)."""
    assignment = locked(assignment)
    if assignment.effective_until is not None:
        raise DomainError("This assignment has already ended.", field="effective_until")
    if effective_until <= assignment.effective_from:
        raise DomainError(
            f"The end date must be after the start ({assignment.effective_from:%B %-d, %Y}).",
            field="effective_until",
        )
    assignment.effective_until = effective_until
    return save_with_audit(
        assignment, actor=actor, reason=reason or "PSA ended", update_fields=["effective_until"]
    )
