"""Reads for the public directories, the awards page, the news feed and the warning task.
Each returns a queryset with the joins its callers need, so pages keep a fixed query count."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from core.models import News
from core.selectors import news_list

from .constants import ATTESTATION_WARNING_DAYS
from .models import (
    AwardCategory,
    Nomination,
    NominationPeriod,
    NominationStatus,
    Publication,
    StrokeCertification,
    TraumaDesignation,
)


def stroke_centers(
    *, today: date | None = None, level: str = "", town: str = ""
) -> QuerySet[StrokeCertification]:
    """Certifications listed as certified today: an expired attestation is never listed."""
    today = today or timezone.localdate()
    centers = StrokeCertification.objects.current(today=today).select_related("hospital")
    if level:
        centers = centers.filter(level=level)
    if town:
        centers = centers.filter(hospital__town__iexact=town)
    return centers.order_by("hospital__name", "level")


def trauma_centers(
    *, today: date | None = None, level: str = "", town: str = ""
) -> QuerySet[TraumaDesignation]:
    today = today or timezone.localdate()
    centers = TraumaDesignation.objects.current(today=today).select_related("hospital")
    if level:
        centers = centers.filter(level=level)
    if town:
        centers = centers.filter(hospital__town__iexact=town)
    return centers.order_by("hospital__name", "level")


def stroke_center_towns(*, today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    return list(
        StrokeCertification.objects.current(today=today)
        .order_by("hospital__town")
        .values_list("hospital__town", flat=True)
        .distinct()
    )


def trauma_center_towns(*, today: date | None = None) -> list[str]:
    today = today or timezone.localdate()
    return list(
        TraumaDesignation.objects.current(today=today)
        .order_by("hospital__town")
        .values_list("hospital__town", flat=True)
        .distinct()
    )


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
