"""Reads of the complaints app: who may see complaints, the staff queues, the public subject
search and what a subject sees once a notice is issued (fixed query counts)."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import roles
from accounts.models import User
from organizations.models import Organization, OrganizationStatus, Town
from providers import rules as provider_rules
from providers.models import Certification

from .constants import OPEN_STAGES, SEARCH_LIMIT, SEARCH_MIN_CHARS, Stage
from .models import AccessLog, Complaint, SubjectKind

COMPLAINT_ROLES = (roles.INVESTIGATOR, roles.SUPERVISOR)


def _role_names(user) -> set[str]:
    # Cached on the user object: the admin asks several times per request.
    if not hasattr(user, "_complaint_role_names"):
        user._complaint_role_names = set(
            user.groups.filter(name__in=COMPLAINT_ROLES).values_list("name", flat=True)
        )
    return user._complaint_role_names


def can_see_complaints(user) -> bool:
    """Complaint contents, complainants and notes: active staff with the investigator or
    supervisor role only. Deliberately not ``has_perm``: a superuser without the role, a
    reviewer, an inspector or a rates analyst sees nothing."""
    return bool(
        user
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and _role_names(user)
    )


def can_supervise_complaints(user) -> bool:
    return can_see_complaints(user) and roles.SUPERVISOR in _role_names(user)


def investigators() -> QuerySet:
    return User.objects.filter(
        is_active=True, is_staff=True, groups__name__in=COMPLAINT_ROLES
    ).distinct()


def complaint_list(
    *,
    stage: str | None = None,
    investigator=None,
    overdue: bool | None = None,
    category: str | None = None,
    outcome: str | None = None,
) -> QuerySet[Complaint]:
    complaints = Complaint.objects.select_related(
        "certification__provider", "organization", "incident_town", "investigator"
    )
    if stage:
        complaints = complaints.filter(stage=stage)
    if investigator is not None:
        complaints = complaints.filter(investigator=investigator)
    if overdue:
        complaints = complaints.overdue()
    if category:
        complaints = complaints.filter(category=category)
    if outcome:
        complaints = complaints.filter(outcome=outcome)
    return complaints.order_by("due_on", "received_at")


def complaint_detail(*, pk: int) -> Complaint:
    return (
        complaint_list()
        .prefetch_related("attachments", "evidence__uploaded_by", "notes__author")
        .get(pk=pk)
    )


def queue_counts() -> dict:
    """Open complaints per stage and per investigator, with the overdue ones (two queries)."""
    today = timezone.localdate()
    overdue = Q(due_on__lt=today)
    by_stage = {
        row["stage"]: row
        for row in Complaint.objects.open()
        .values("stage")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=overdue))
    }
    stages = [
        {
            "stage": stage,
            "label": Stage(stage).label,
            "total": by_stage.get(stage, {}).get("total", 0),
            "overdue": by_stage.get(stage, {}).get("overdue", 0),
        }
        for stage in OPEN_STAGES
    ]
    people = list(
        Complaint.objects.open()
        .filter(investigator__isnull=False)
        .values("investigator", "investigator__email", "investigator__full_name")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=overdue))
        .order_by("investigator__email")
    )
    return {"stages": stages, "investigators": people}


def access_log(*, complaint: Complaint) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(complaint=complaint).select_related("user")


# --- The public form ---------------------------------------------------------------------------


def subject_search(query: str) -> list[dict]:
    """Public search for the subject of a complaint. Shows no more than /verify/ does for a
    provider (name, number, level) and the public directory does for an organization."""
    query = (query or "").strip()
    if len(query) < SEARCH_MIN_CHARS:
        return []
    results = []
    number = provider_rules.normalize_number(query)
    certifications = Certification.objects.select_related("provider").only(
        "number", "level", "provider__first_name", "provider__middle_name", "provider__last_name"
    )
    if provider_rules.NUMBER_PATTERN.match(number):
        certifications = certifications.filter(number=number)
    else:
        words = query.split()
        certifications = certifications.filter(provider__last_name__iexact=words[-1])
        if len(words) > 1:
            certifications = certifications.filter(provider__first_name__istartswith=words[0])
    for certification in certifications.order_by("provider__last_name", "number")[:SEARCH_LIMIT]:
        results.append(
            {
                "value": f"{SubjectKind.PROVIDER}:{certification.number}",
                "label": f"{certification.provider.full_name}, {certification.number} "
                f"({certification.get_level_display()})",
            }
        )
    organizations = (
        Organization.objects.exclude(status=OrganizationStatus.PENDING)
        .filter(
            Q(legal_name__icontains=query)
            | Q(doing_business_as__icontains=query)
            | Q(number__iexact=query)
        )
        .only("legal_name", "doing_business_as", "number", "city")
        .order_by("legal_name")[:SEARCH_LIMIT]
    )
    for organization in organizations:
        where = f", {organization.city}" if organization.city else ""
        results.append(
            {
                "value": f"{SubjectKind.ORGANIZATION}:{organization.number}",
                "label": f"{organization.display_name}, {organization.number}{where}",
            }
        )
    return results


def subject_resolve(value: str) -> tuple[str, Certification | None, Organization | None]:
    """A search result's value back to its record; None, None for one that does not exist."""
    kind, _, number = (value or "").partition(":")
    if kind == SubjectKind.PROVIDER:
        certification = (
            Certification.objects.select_related("provider")
            .filter(number=provider_rules.normalize_number(number))
            .first()
        )
        return kind, certification, None
    if kind == SubjectKind.ORGANIZATION:
        organization = (
            Organization.objects.exclude(status=OrganizationStatus.PENDING)
            .filter(number=number)
            .first()
        )
        return kind, None, organization
    return kind, None, None


def towns() -> QuerySet[Town]:
    return Town.objects.order_by("name")


# --- The subject's dashboard -------------------------------------------------------------------


def complaints_noticed_to(user) -> QuerySet[Complaint]:
    """Complaints about the user (their certifications, organizations they administer) once
    staff issued a notice; callers show only the summary fields, never the complainant."""
    if not getattr(user, "is_authenticated", False):
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(notice_issued_at__isnull=False)
        .filter(Q(certification__provider__user=user) | Q(organization__administrators=user))
        .select_related("certification", "organization")
        .only(
            "tracking_number",
            "incident_date",
            "received_at",
            "category",
            "stage",
            "outcome",
            "outcome_summary",
            "effective_from",
            "effective_until",
            "notice_issued_at",
            "closed_at",
            "certification__number",
            "organization__legal_name",
            "organization__doing_business_as",
            "organization__number",
        )
        .distinct()
        .order_by("-notice_issued_at")
    )
