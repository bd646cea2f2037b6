"""Reads of the providers app, with the joins their callers need (fixed query counts)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from . import rules

# The one address every email to a provider goes to; other apps import it from here.
from .contact.selectors import provider_contact_email, with_contact_email  # noqa: F401
from .models import (
    QUEUE_STATUSES,
    STATUS_FIELDS,
    CEComponent,
    CEDelivery,
    CERecord,
    CERequirementSet,
    Certification,
    Credential,
    CredentialRenewal,
    IncompleteReason,
    InitialApplication,
    Provider,
    ReinstatementApplication,
    RenewalApplication,
    ReviewedApplication,
)
from .verify_cache import VERIFY_CACHE_SECONDS, verify_cache_key

VERIFY_LIMIT = 50
A = TypeVar("A", bound=ReviewedApplication)

# The review queue's "days waiting" bands (days since complete, both ends included; None: no
# upper end): the admin's filter and the oversight figures count the same bands.
WAITING_BANDS: dict[str, tuple[int, int | None]] = {
    "0-14": (0, 14),
    "15-28": (15, 28),
    "29-42": (29, 42),
    "43+": (43, None),
}


def waiting_band_q(band: str, *, today: date) -> Q:
    """Applications in the staff queue that have waited within ``band`` (a WAITING_BANDS key)."""
    low, high = WAITING_BANDS[band]
    condition = Q(status__in=QUEUE_STATUSES, complete_on__lte=today - timedelta(days=low))
    if high is not None:
        condition &= Q(complete_on__gte=today - timedelta(days=high))
    return condition


def provider_of(user) -> Provider | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Provider.objects.filter(user=user).first()


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def staff_has(user, permission: str) -> bool:
    """Staff whose role grants ``permission`` (the admin's own check, per request)."""
    return bool(_signed_in(user) and user.is_staff and user.has_perm(permission))


def is_licensing_staff(user) -> bool:
    """Licensing reviewers and supervisors: the roles that review applications (not
    inspectors, investigators or rates analysts)."""
    return staff_has(user, "providers.view_renewalapplication")


def is_own_provider_record(*, user, provider: Provider) -> bool:
    return _signed_in(user) and provider.user_id is not None and provider.user_id == user.pk


def certifications_of(user) -> QuerySet[Certification]:
    if not _signed_in(user):
        return Certification.objects.none()
    return (
        Certification.objects.filter(provider__user=user)
        .select_related("provider")
        .prefetch_related("credentials")
        .order_by("number")
    )


def _own_applications(
    user,
    model: type[A],
    *,
    owner: str = "certification__provider__user",
    related: str = "certification__provider",
) -> QuerySet[A]:
    """``model``'s applications whose ``owner`` is ``user`` (never anyone else's), newest
    first, with their return reasons. By default: applications about a certification, owned
    by the account linked to its provider."""
    if not _signed_in(user):
        return model._default_manager.none()
    return (
        model._default_manager.filter(**{owner: user})
        .select_related(related)
        .prefetch_related("return_reasons")
        .order_by("-created_at")
    )


def applications_of(user) -> QuerySet[RenewalApplication]:
    """Renewal applications of the person linked to ``user``."""
    return _own_applications(user, RenewalApplication)


def ce_records_of(user) -> QuerySet[CERecord]:
    if not _signed_in(user):
        return CERecord.objects.none()
    return CERecord.objects.filter(provider__user=user).order_by("-completed_on", "-pk")


def _verify_queryset() -> QuerySet[Certification]:
    return Certification.objects.select_related("provider", "superseded_by").only(
        "number",
        "level",
        *STATUS_FIELDS,
        "superseded_by__number",
        "superseded_by__level",
        "provider__first_name",
        "provider__middle_name",
        "provider__last_name",
    )


def verify_search(
    *, number: str = "", last_name: str = "", first_name: str = ""
) -> list[Certification]:
    """Public look-up: by number (cached, see ``verify_one``), or by last name (+ first name
    prefix): one query on the upper-case expression index."""
    if number:
        # By number even a superseded certification shows, pointing to the current one.
        certification = verify_one(number=number)
        return [certification] if certification else []
    if not last_name:
        return []
    # By name, the current certifications only (a level change supersedes the old one).
    certifications = _verify_queryset().filter(
        provider__last_name__iexact=last_name.strip(), superseded_by__isnull=True
    )
    if first_name:
        certifications = certifications.filter(provider__first_name__istartswith=first_name.strip())
    # Ordered on the indexed expressions, so the first VERIFY_LIMIT come off the index in order.
    return list(
        certifications.order_by(
            Upper("provider__last_name"), Upper("provider__first_name"), "number"
        )[:VERIFY_LIMIT]
    )


def verify_shown(certification: Certification) -> tuple:
    """What the /verify/ page shows of a certification, its status as computed now: the key of
    the page's rendered content (core.lean), so a change to any of it is another page."""
    superseded_by = certification.superseded_by
    return (
        certification.pk,
        certification.number,
        certification.level,
        certification.status,
        certification.expires_on,
        certification.provider.full_name,
        (superseded_by.number, superseded_by.level) if superseded_by else None,
    )


def verify_one(*, number: str) -> Certification | None:
    """One certification by number, as /verify/ and the verify API show it.

    The hottest read of the portal (employers, hospitals and the public check numbers all
    day), so the row is cached per number: the stored fields, never the status, which
    ``Certification.status`` computes from the dates on every call (a cached row is never a
    day out of date). Unknown numbers are cached too, so guessing numbers does not reach the
    database. ``providers.verify_cache`` drops the entry whenever the certification or its
    provider is saved (and a new certification drops its number's "unknown").
    """
    number = rules.normalize_number(number)
    if rules.level_of_number(number) is None:
        return None  # malformed: no certification can have it; keeps junk out of the cache
    key = verify_cache_key(number)  # the row's shape is in the key's version (v2)
    row = cache.get(key)
    if row is None:
        certification = _verify_queryset().filter(number=number).first()
        row = _verify_row(certification) if certification else {}
        cache.set(key, row, VERIFY_CACHE_SECONDS)
    return _certification_from_row(row) if row else None


def _verify_row(certification: Certification) -> dict:
    superseded_by = certification.superseded_by
    provider = certification.provider
    return {
        "id": certification.pk,
        "number": certification.number,
        "level": certification.level,
        "expires_on": certification.expires_on,
        "discipline": certification.discipline,
        "discipline_from": certification.discipline_from,
        "discipline_until": certification.discipline_until,
        "superseded_on": certification.superseded_on,
        "superseded_by": (
            (superseded_by.pk, superseded_by.number, superseded_by.level) if superseded_by else None
        ),
        "provider": (provider.pk, provider.first_name, provider.middle_name, provider.last_name),
    }


def _certification_from_row(row: dict) -> Certification:
    """A Certification carrying the cached fields (and its provider's name): the same
    properties (status, labels, provider.full_name) and identity as one read from the
    database, for the same templates and serializers. For reading only: it holds a few fields,
    so nothing may save it."""
    provider_id, first_name, middle_name, last_name = row["provider"]
    certification = Certification(
        id=row["id"],
        number=row["number"],
        level=row["level"],
        expires_on=row["expires_on"],
        discipline=row["discipline"],
        discipline_from=row["discipline_from"],
        discipline_until=row["discipline_until"],
        superseded_on=row["superseded_on"],
        provider=Provider(
            id=provider_id, first_name=first_name, middle_name=middle_name, last_name=last_name
        ),
    )
    if row["superseded_by"]:
        pk, number, level = row["superseded_by"]
        certification.superseded_by = Certification(id=pk, number=number, level=level)
    return certification


def renewal_queue(*, status: str | None = None) -> QuerySet[RenewalApplication]:
    applications = RenewalApplication.objects.select_related(
        "certification__provider", "applicant"
    ).prefetch_related("return_reasons")
    if status:
        applications = applications.filter(status=status)
    else:
        applications = applications.filter(status__in=QUEUE_STATUSES)
    return applications.order_by("complete_on", "pk")


# --- CE progress -------------------------------------------------------------------------------


@dataclass
class ComponentProgress:
    component: str
    label: str
    required: Decimal
    earned: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.required - self.earned, Decimal(0))

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.earned * 100 / self.required))


@dataclass
class CEProgress:
    requirement: CERequirementSet | None
    window_start: date
    window_end: date
    components: list[ComponentProgress] = field(default_factory=list)
    distributive_hours: Decimal = Decimal(0)
    distributive_counted: Decimal = Decimal(0)
    records: list[CERecord] = field(default_factory=list)

    @property
    def required(self) -> Decimal:
        return sum((c.required for c in self.components), Decimal(0))

    @property
    def earned(self) -> Decimal:
        return sum((min(c.earned, c.required) for c in self.components), Decimal(0))

    @property
    def complete(self) -> bool:
        return all(c.remaining == 0 for c in self.components)

    @property
    def percent(self) -> int:
        return 100 if not self.required else min(100, int(self.earned * 100 / self.required))

    @property
    def remaining_summary(self) -> str:
        missing = [f"{c.remaining:g} h {c.label.lower()}" for c in self.components if c.remaining]
        return ", ".join(missing) or "nothing"


def ce_requirement_for(*, level: str, on: date) -> CERequirementSet | None:
    return (
        CERequirementSet.objects.filter(level=level, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def ce_progress(certification: Certification, *, today: date | None = None) -> CEProgress:
    """Hours recorded in the certification's current cycle against the requirement in effect:
    each component must reach its hours; distributive education counts up to the set's limit
    (live hours first, then DE in date order). Two queries."""
    today = today or timezone.localdate()
    start = rules.cycle_start(level=certification.level, expiration=certification.expires_on)
    end = max(certification.expires_on, today)
    requirement = ce_requirement_for(level=certification.level, on=certification.expires_on)
    records = list(
        CERecord.objects.filter(
            provider_id=certification.provider_id, completed_on__gte=start, completed_on__lte=end
        ).order_by("completed_on", "pk")
    )
    progress = CEProgress(requirement=requirement, window_start=start, window_end=end)
    progress.records = records
    if requirement is None:
        return progress
    earned = {component: Decimal(0) for component in CEComponent.values}
    limit = requirement.max_distributive_hours
    for record in records:
        if record.delivery == CEDelivery.LIVE:
            earned[record.component] += record.hours
    for record in records:
        if record.delivery != CEDelivery.DISTRIBUTIVE:
            continue
        progress.distributive_hours += record.hours
        counted = record.hours
        if limit is not None:
            counted = max(Decimal(0), min(counted, limit - progress.distributive_counted))
        progress.distributive_counted += counted
        earned[record.component] += counted
    progress.components = [
        ComponentProgress(
            component=component,
            label=CEComponent(component).label,
            required=requirement.hours_for(component),
            earned=earned[component],
        )
        for component in CEComponent.values
    ]
    return progress


# --- First certification and reinstatement -----------------------------------------------------


def initial_applications_of(user) -> QuerySet[InitialApplication]:
    """Initial applications made from ``user``'s account."""
    return _own_applications(user, InitialApplication, owner="applicant", related="certification")


def reinstatements_of(user) -> QuerySet[ReinstatementApplication]:
    """Reinstatement applications of the person linked to ``user``."""
    return _own_applications(user, ReinstatementApplication)


def credential_renewal_current(credential: Credential) -> CredentialRenewal | None:
    """The renewal of the credential's current cycle (submitted since its window opened): once
    there is one, submitted or decided, the credential is not offered for renewal again."""
    opens = rules.credential_renewal_opens_on(credential.expires_on)
    for renewal in credential.renewals.all():  # newest first (prefetched)
        if timezone.localdate(renewal.submitted_at) >= opens:
            return renewal
    return None


def incomplete_reasons_active():
    return IncompleteReason.objects.filter(is_active=True)
