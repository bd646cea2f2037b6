"""Reads for the public directories, the awards page, the news feed and the warning task.
Each returns a queryset with the joins its callers need, so pages keep a fixed query count."""

import re
import time
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from core.errors import DomainError
from core.models import News
from core.selectors import news_list
from payments import fees
from payments.models import FeeCode
from providers.rules import GRACE_DAYS, LEVEL_PREFIX, PROCESSING_WEEKS, REINSTATEMENT_YEARS, Level

from .constants import ATTESTATION_WARNING_DAYS
from .models import (
    AlertLevel,
    AwardCategory,
    ContactDetails,
    FaqEntry,
    HelpTopic,
    Nomination,
    NominationPeriod,
    NominationStatus,
    Publication,
    SiteAlert,
    StrokeCertification,
    TraumaDesignation,
)


def _listed(model, *, today: date | None, level: str = "", town: str = "") -> QuerySet:
    """Listings current today (the model's ``current`` queryset), filtered by level and town."""
    centers = model.objects.current(today=today or timezone.localdate()).select_related("hospital")
    if level:
        centers = centers.filter(level=level)
    if town:
        centers = centers.filter(hospital__town__iexact=town)
    return centers


def _towns(model, *, today: date | None) -> list[str]:
    return list(
        _listed(model, today=today)
        .order_by("hospital__town")
        .values_list("hospital__town", flat=True)
        .distinct()
    )


def stroke_centers(
    *, today: date | None = None, level: str = "", town: str = ""
) -> QuerySet[StrokeCertification]:
    """Certifications listed as certified today: an expired attestation is never listed."""
    return _listed(StrokeCertification, today=today, level=level, town=town).order_by(
        "hospital__name", "level"
    )


def trauma_centers(
    *, today: date | None = None, level: str = "", town: str = ""
) -> QuerySet[TraumaDesignation]:
    return _listed(TraumaDesignation, today=today, level=level, town=town).order_by(
        "hospital__name", "level"
    )


def stroke_center_towns(*, today: date | None = None) -> list[str]:
    return _towns(StrokeCertification, today=today)


def trauma_center_towns(*, today: date | None = None) -> list[str]:
    return _towns(TraumaDesignation, today=today)


def attestation_warning_due(*, certification: StrokeCertification, today: date) -> int | None:
    """The threshold (days) whose warning is due today, or None. Only the nearest threshold
    counts: an attestation recorded 20 days before it lapses gets the 30-day warning, not also
    the 90-day one; an attestation that has already lapsed gets none."""
    days_left = (certification.attestation_expires - today).days
    if days_left < 0:
        return None
    reached = [days for days in ATTESTATION_WARNING_DAYS if days_left <= days]
    return min(reached) if reached else None


def certifications_needing_warning(*, today: date) -> QuerySet[StrokeCertification]:
    """Every certification inside the widest warning window (not lapsed); the caller decides the
    threshold per row with ``attestation_warning_due``."""
    return StrokeCertification.objects.expiring_within(
        today=today, days=max(ATTESTATION_WARNING_DAYS)
    ).select_related("hospital")


def open_period(*, today: date | None = None) -> NominationPeriod | None:
    today = today or timezone.localdate()
    return NominationPeriod.objects.filter(opens__lte=today, closes__gte=today).first()


def nearest_period(*, today: date | None = None) -> NominationPeriod | None:
    """The next period to open, else the last one that closed: what a closed form names."""
    today = today or timezone.localdate()
    upcoming = NominationPeriod.objects.filter(opens__gt=today).order_by("opens").first()
    return upcoming or NominationPeriod.objects.filter(closes__lt=today).order_by("-closes").first()


def award_categories() -> QuerySet[AwardCategory]:
    return AwardCategory.objects.filter(is_active=True)


def award_recipients() -> QuerySet[Nomination]:
    """Past recipients, newest year first, grouped in the template by year."""
    return (
        Nomination.objects.filter(status=NominationStatus.RECIPIENT)
        .select_related("period", "category")
        .order_by("-period__year", "category__position", "category__name", "nominee_name")
    )


def publications() -> QuerySet[Publication]:
    return Publication.objects.published().order_by("-published_at")


def news_and_publications(*, limit: int | None = None) -> list:
    """News posts and published reports together, newest first (two queries). Both models
    have title, summary, body, published_at and get_absolute_url, so templates show either."""
    news: list[News | Publication] = list(news_list(limit=limit))
    reports: list[News | Publication] = list(publications()[:limit] if limit else publications())
    merged = sorted(news + reports, key=lambda item: item.published_at, reverse=True)
    return merged[:limit] if limit else merged


# --- Help, FAQ, contact and the site-wide alert ------------------------------------------------

FACT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
ALERTS_CACHE_KEY = "information:site-alerts"
CONTACT_CACHE_KEY = "information:contact-details"
CACHE_SECONDS = 300  # both keys are also dropped whenever staff save (information.signals)


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}".replace(".00", "") if amount else "no fee"


def _fee(code: str, today: date) -> str:
    try:
        return _money(fees.current_fee(code, on=today))
    except DomainError:
        return "(to be announced)"


def processing_weeks() -> str:
    low, high = PROCESSING_WEEKS
    return f"{low}–{high}"


def help_facts(*, today: date | None = None) -> dict[str, str]:
    """The figures help pages quote, from their one home (payments' fee schedule and fee rules,
    providers' rules), so a fee staff change in the admin changes every help page."""
    today = today or timezone.localdate()
    prefixes = "\n".join(
        f"- **{prefix}**: {Level(level).label}" for level, prefix in LEVEL_PREFIX.items()
    )
    return {
        "renewal_fee": _fee(FeeCode.PROVIDER_RENEWAL, today),
        "initial_fee": _fee(FeeCode.PROVIDER_INITIAL, today),
        "reinstatement_fee": _fee(FeeCode.PROVIDER_REINSTATEMENT, today),
        "credential_fee": _fee(FeeCode.INSTRUCTOR_RENEWAL, today),
        "organization_license_fee": _fee(FeeCode.ORGANIZATION_LICENSE, today),
        "returned_payment_fee": _fee(FeeCode.RETURNED_PAYMENT, today),
        "card_fee_percent": f"{(fees.CARD_CONVENIENCE_RATE * 100).normalize()}%",
        "processing_weeks": processing_weeks(),
        "grace_days": str(GRACE_DAYS),
        "reinstatement_years": str(REINSTATEMENT_YEARS),
        "number_prefixes": prefixes,
    }


def fill_facts(text: str, facts: dict[str, str]) -> str:
    """``{{ name }}`` replaced by its figure; a name the portal does not know stays as typed."""
    return FACT.sub(lambda match: facts.get(match.group(1), match.group(0)), text)


def help_topics() -> QuerySet[HelpTopic]:
    return HelpTopic.objects.published()


def faq_entries() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(is_published=True).select_related("topic")


def contact_details() -> ContactDetails | None:
    """The office's contact row (cached: every page's footer shows it)."""
    found = cache.get(CONTACT_CACHE_KEY)
    if found is None:
        found = ContactDetails.objects.order_by("pk").first() or False
        cache.set(CONTACT_CACHE_KEY, found, CACHE_SECONDS)
    return found or None


def site_alerts(*, now: datetime | None = None, dismissed: Iterable[int] = ()) -> list[SiteAlert]:
    """The alerts showing now, emergencies first, without those dismissed this session. The
    alerts that have not ended are cached (every page asks); the time window is applied to the
    cached list, so an alert appears and goes at its times without waiting for the cache."""
    now = now or timezone.now()
    upcoming = cache.get(ALERTS_CACHE_KEY)
    if upcoming is None:
        upcoming = list(SiteAlert.objects.not_ended(now))
        cache.set(ALERTS_CACHE_KEY, upcoming, CACHE_SECONDS)
    hidden = set(dismissed)
    order = list(reversed(AlertLevel.values))
    showing = [a for a in upcoming if a.is_showing_at(now) and a.pk not in hidden]
    return sorted(showing, key=lambda alert: (order.index(alert.level), alert.starts_at))


# What the frame shows from this app, kept in the worker for a moment: the lean /verify/ page
# asks on every request, and two cache reads were a third of its time. A save in this worker
# forgets it at once (forget_cached_notices); another worker sees a change within this time.
FRAME_VERSION_SECONDS = 2.0
_frame_version: tuple[float, tuple] | None = None


def frame_version(request) -> tuple:
    """What of this app every page's frame shows, for ``core.lean``: the alerts showing now to a
    visitor without a session, and the contact details, each with its last change."""
    global _frame_version
    moment = time.monotonic()
    if _frame_version is not None and moment - _frame_version[0] < FRAME_VERSION_SECONDS:
        return _frame_version[1]
    contact = contact_details()
    version = (
        tuple((alert.pk, alert.updated_at) for alert in site_alerts()),
        contact.updated_at if contact else None,
    )
    _frame_version = (moment, version)
    return version


def forget_cached_notices() -> None:
    global _frame_version
    _frame_version = None
    cache.delete_many([ALERTS_CACHE_KEY, CONTACT_CACHE_KEY])
