"""Demo news posts, taken from the office's own announcements (shared/seeds)."""

from datetime import timedelta

from django.utils import timezone

from .models import News

POSTS = [
    (
        "ems-recertification-requirements",
        "EMS certified provider recertification requirements",
        "Changes to the certification requirements of all EMS providers (EMR, EMT and AEMT) are "
        "in effect. All continuing education may be completed as distributive education.",
    ),
    (
        "short-form-rate-application",
        "Short Form rate application and instructions",
        "Every organization that received last year's rate schedule must file this year's rate "
        "application and spreadsheet. Requests above the published CPI increase need the Full "
        "Rate Application (Long Form). Services not yet imposing charges file the Non-Charging "
        "Service Certification Statement.",
    ),
    (
        "chief-of-service-changes",
        "Has your organization had a change in leadership?",
        "If you have a new chief of service, notify OEMS in writing on agency letterhead within "
        "ten business days, so we keep your organization's contacts current.",
    ),
    (
        "processing-time",
        "Processing time for EMS provider applications is 4–6 weeks",
        "The 4–6 week processing time begins when OEMS has received all the documentation "
        "necessary for processing. Follow your application's status on your dashboard.",
    ),
]


def seed(*, stdout, providers=None):
    now = timezone.now()
    for index, (slug, title, body) in enumerate(POSTS):
        News.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": body.split(". ")[0].rstrip(".") + ".",
                "body": body,
                "published_at": now - timedelta(days=7 * index),
            },
        )
    stdout.write(f"  core: {len(POSTS)} news posts")
