"""Reads of the nemsis app: the scope of practice by level, what the State Dataset is made of
(with a fingerprint of it), and the DEM files a person may see."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from information.models import Hospital, StrokeCertification, TraumaDesignation
from organizations.models import Organization, OrganizationStatus, Town
from organizations.selectors import organizations_administered_by
from providers.rules import Level

from .models import CollectedElement, DemUpload, ScopeItem, ScopeKind


def scope_items(*, kind: str | None = None) -> QuerySet[ScopeItem]:
    items = ScopeItem.objects.active()
    return items.filter(kind=kind) if kind else items


@dataclass
class LevelScope:
    level: str
    label: str
    procedures: list = field(default_factory=list)
    medications: list = field(default_factory=list)
    protocols: list = field(default_factory=list)


def scope_by_level() -> list[LevelScope]:
    """Each certification level with what it may perform (one query)."""
    by_level = {level: LevelScope(level=level, label=Level(level).label) for level in Level.values}
    attribute: dict[str, str] = {
        ScopeKind.PROCEDURE: "procedures",
        ScopeKind.MEDICATION: "medications",
        ScopeKind.PROTOCOL: "protocols",
    }
    for item in scope_items().order_by("name"):
        for level in item.levels:
            if level in by_level:
                getattr(by_level[level], attribute[item.kind]).append(item)
    return list(by_level.values())


def scope_has_demo_items() -> bool:
    return ScopeItem.objects.active().filter(is_demo=True).exists()


# --- The State Dataset's data ------------------------------------------------------------------


def licensed_organizations() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(status=OrganizationStatus.ACTIVE)
        .order_by("number")
        .only("number", "legal_name", "doing_business_as")
    )


@dataclass
class Facility:
    hospital: Hospital
    county: str | None
    stroke_levels: list
    trauma_levels: list


def facilities(*, today=None) -> list[Facility]:
    """Hospitals with their current stroke and trauma designations and their town's county
    (three queries whatever the number of hospitals)."""
    today = today or timezone.localdate()
    hospitals = list(Hospital.objects.order_by("name"))
    stroke: dict[int, list] = {}
    for hospital_id, level in StrokeCertification.objects.current(today=today).values_list(
        "hospital_id", "level"
    ):
        stroke.setdefault(hospital_id, []).append(level)
    trauma: dict[int, list] = {}
    for hospital_id, level in TraumaDesignation.objects.current(today=today).values_list(
        "hospital_id", "level"
    ):
        trauma.setdefault(hospital_id, []).append(level)
    counties = {
        name.lower(): county
        for name, county in Town.objects.filter(
            name__in={hospital.town for hospital in hospitals}
        ).values_list("name", "county")
    }
    return [
        Facility(
            hospital=hospital,
            county=counties.get(hospital.town.lower()),
            stroke_levels=stroke.get(hospital.pk, []),
            trauma_levels=trauma.get(hospital.pk, []),
        )
        for hospital in hospitals
    ]


def collected_elements() -> list[str]:
    return list(CollectedElement.objects.order_by("number").values_list("number", flat=True))


def state_dataset_fingerprint() -> str:
    """What the State Dataset's data looks like now: any change to an organization, hospital,
    designation, scope item or collected element (or the day, which moves designations in and
    out of date) makes a new one."""
    parts = [timezone.localdate().isoformat()]
    for model in (
        Organization,
        ScopeItem,
        CollectedElement,
        StrokeCertification,
        TraumaDesignation,
    ):
        data = model.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
        parts.append(f"{model._meta.label}:{data['count']}:{data['latest']}")
    # Hospitals have no updated_at; their history rows say when one last changed.
    data = Hospital.history.aggregate(count=Count("pk"), latest=Max("history_date"))
    parts.append(f"hospital:{Hospital.objects.count()}:{data['count']}:{data['latest']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


# --- DEM files -----------------------------------------------------------------------------------


def user_may_send_dem(*, user, organization: Organization) -> bool:
    """The organization's administrator, or staff allowed to change affiliations for them."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff and user.has_perm("nemsis.add_demupload"):
        return True
    return organizations_administered_by(user=user).filter(pk=organization.pk).exists()


def dem_uploads_visible_to(*, user) -> QuerySet[DemUpload]:
    if not getattr(user, "is_authenticated", False):
        return DemUpload.objects.none()
    uploads = DemUpload.objects.select_related("organization", "uploaded_by", "confirmed_by")
    if user.is_staff and user.has_perm("nemsis.view_demupload"):
        return uploads
    return uploads.filter(Q(organization__in=organizations_administered_by(user=user).values("pk")))


def dem_uploads_of(*, organization: Organization) -> QuerySet[DemUpload]:
    return DemUpload.objects.filter(organization=organization).order_by("-created_at")
