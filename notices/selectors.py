"""Reads: who a notice's audience reaches (as a queryset paged by id), the progress of a
sending, the delivery report, and the notices a person received."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts import roles
from core.send_once import SendStatus
from organizations.models import Organization
from providers.models import Certification, Provider
from providers.rules import CertificationStatus, status_q

from .models import Notice, NoticeBatch, NoticeDelivery
from .rules import PROVIDER_AUDIENCES, Audience

RECENT_NOTICES = 5


def _active_certifications(notice: Notice, *, today, after: int) -> QuerySet[Certification]:
    certifications = Certification.objects.filter(
        status_q(CertificationStatus.ACTIVE, today=today), provider=OuterRef("pk")
    )
    if after:
        # said on both sides, so PostgreSQL's merge join starts both scans at the page, not at
        # the first certification (a page deep in a million took 0.5 s, then 10 ms)
        certifications = certifications.filter(provider_id__gt=after)
    if notice.audience == Audience.LEVEL:
        certifications = certifications.filter(level=notice.level)
    if notice.audience == Audience.EXPIRING:
        certifications = certifications.filter(
            expires_on__lte=today + timedelta(days=notice.expires_within_days or 0)
        )
    return certifications


def audience_recipients(notice: Notice, *, today=None, after: int = 0) -> QuerySet:
    """The providers (provider audiences) or active accounts (the others) ``notice`` reaches,
    each once, in id order from after ``after``: page it by id, never hold it whole."""
    if notice.audience in PROVIDER_AUDIENCES:
        today = today or timezone.localdate()
        return Provider.objects.filter(
            Exists(_active_certifications(notice, today=today, after=after)), pk__gt=after
        ).order_by("pk")
    accounts = get_user_model().objects.filter(is_active=True, pk__gt=after)
    if notice.audience == Audience.ORGANIZATION_ADMINISTRATORS:
        accounts = accounts.filter(
            Exists(Organization.administrators.through.objects.filter(user=OuterRef("pk")))
        )
    else:
        accounts = accounts.filter(groups__name=roles.TRAINING_INSTITUTION)
    return accounts.order_by("pk")


def audience_count(notice: Notice) -> int:
    return audience_recipients(notice).count()


def recipient_emails(notice: Notice, ids: list[int]) -> dict[int, str]:
    """The address of each of these recipients: a provider's contact email (else the email of
    the account linked to them), an account's email."""
    if notice.audience in PROVIDER_AUDIENCES:
        rows = Provider.objects.filter(pk__in=ids).values_list("pk", "email", "user__email")
        return {pk: email or account_email or "" for pk, email, account_email in rows}
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "email"))


def recipient_field(notice: Notice) -> str:
    """The field of ``NoticeDelivery`` that names this notice's recipients."""
    return "provider" if notice.audience in PROVIDER_AUDIENCES else "user"


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    skipped: int
    failed: int
    in_progress: int
    batches: int
    batches_done: int

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.failed


def notice_progress(notice: Notice) -> Progress:
    """Sent, skipped and failed of the total (two queries, served by the progress index)."""
    by_status = dict(
        NoticeDelivery.objects.filter(notice=notice)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    batches = NoticeBatch.objects.filter(notice=notice).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False))
    )
    return Progress(
        total=notice.recipients_total,
        sent=by_status.get(SendStatus.SENT, 0),
        skipped=by_status.get(SendStatus.SKIPPED, 0),
        failed=by_status.get(SendStatus.FAILED, 0),
        in_progress=by_status.get(SendStatus.CLAIMED, 0),
        batches=batches["total"],
        batches_done=batches["done"],
    )


REPORT_HEADER = ["recipient", "email", "status", "reason", "attempts", "sent at"]


def delivery_report_rows(notice: Notice):
    """The delivery report's rows, streamed in id order (one person a line)."""
    deliveries = (
        NoticeDelivery.objects.filter(notice=notice)
        .order_by("pk")
        .values_list("provider_id", "user_id", "email", "status", "reason", "attempts", "sent_at")
    )
    for provider_id, user_id, email, status, reason, attempts, sent_at in deliveries.iterator(
        chunk_size=2000
    ):
        recipient = f"provider {provider_id}" if provider_id else f"account {user_id}"
        yield [recipient, email, status, reason, attempts, sent_at.isoformat() if sent_at else ""]


def notices_received(user) -> QuerySet[NoticeDelivery]:
    """The notices sent to ``user`` (as an account, or as the provider linked to it), newest
    first; never anyone else's."""
    if not getattr(user, "is_authenticated", False):
        return NoticeDelivery.objects.none()
    return (
        NoticeDelivery.objects.filter(Q(user=user) | Q(provider__user=user))
        .filter(status=SendStatus.SENT)
        .select_related("notice")
        .order_by("-sent_at", "-pk")
    )


def notice_received(user, pk: int) -> NoticeDelivery | None:
    return notices_received(user).filter(notice_id=pk).first()
