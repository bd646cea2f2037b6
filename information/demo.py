"""Demo hospitals, EMS Council awards, reports, news attachments and the help pages.

The hospitals are FICTIONAL: invented names in real Connecticut towns, with invented
certifications and dates, so nobody mistakes the demo for the state's real list. The awards
categories come from the office's own announcement; the two reports paraphrase the work groups
the office's page describes (Public Act 22-118 sec. 136; Public Act 17-146 sec. 45).
"""

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import User
from core.models import News

from . import help_content, services
from .constants import DEFAULT_AWARD_CATEGORIES
from .models import (
    AwardCategory,
    CertifyingOrganization,
    ContactDetails,
    FaqEntry,
    HelpTopic,
    Hospital,
    NewsAttachment,
    Nomination,
    NominationPeriod,
    Publication,
    PublicationFile,
    PublicationKind,
    StrokeCertification,
    StrokeLevel,
    TraumaDesignation,
    TraumaLevel,
)

# name, town, address, stroke (level, organization, days until the attestation expires) or None,
# trauma levels
HOSPITALS = [
    (
        "Capitol Region Medical Center",
        "Hartford",
        "80 Seymour Street, Hartford, CT 06102",
        (StrokeLevel.COMPREHENSIVE, CertifyingOrganization.JOINT_COMMISSION, 400),
        [TraumaLevel.LEVEL_I],
    ),
    (
        "Charter Oak Children's Hospital",
        "Hartford",
        "282 Washington Street, Hartford, CT 06106",
        None,
        [TraumaLevel.PEDIATRIC_I],
    ),
    (
        "Elm City University Hospital",
        "New Haven",
        "20 York Street, New Haven, CT 06510",
        (StrokeLevel.COMPREHENSIVE, CertifyingOrganization.JOINT_COMMISSION, 300),
        [TraumaLevel.LEVEL_I, TraumaLevel.PEDIATRIC_I],
    ),
    (
        "Park City General Hospital",
        "Bridgeport",
        "267 Grant Street, Bridgeport, CT 06610",
        (StrokeLevel.PRIMARY, CertifyingOrganization.DNV, 200),
        [TraumaLevel.LEVEL_II],
    ),
    (
        "Gold Coast Hospital",
        "Stamford",
        "1 Hospital Plaza, Stamford, CT 06902",
        (StrokeLevel.COMPREHENSIVE, CertifyingOrganization.DNV, 500),
        [TraumaLevel.LEVEL_II],
    ),
    (
        "Brass City Hospital",
        "Waterbury",
        "64 Robbins Street, Waterbury, CT 06708",
        (StrokeLevel.PRIMARY, CertifyingOrganization.JOINT_COMMISSION, 75),
        [TraumaLevel.LEVEL_II],
    ),
    (
        "Thames River Medical Center",
        "New London",
        "365 Montauk Avenue, New London, CT 06320",
        (StrokeLevel.PRIMARY, CertifyingOrganization.DNV, 250),
        [TraumaLevel.LEVEL_III],
    ),
    (
        "Mattabesset Hospital",
        "Middletown",
        "28 Crescent Street, Middletown, CT 06457",
        (StrokeLevel.PRIMARY, CertifyingOrganization.JOINT_COMMISSION, 150),
        [],
    ),
    (
        "Housatonic Valley Hospital",
        "Danbury",
        "24 Hospital Avenue, Danbury, CT 06810",
        (StrokeLevel.PRIMARY, CertifyingOrganization.JOINT_COMMISSION, -10),
        [TraumaLevel.LEVEL_II],
    ),
    (
        "Litchfield Hills Community Hospital",
        "Torrington",
        "540 Litchfield Street, Torrington, CT 06790",
        (StrokeLevel.ACUTE_READY, CertifyingOrganization.ACHC, 180),
        [],
    ),
    (
        "Quiet Corner Hospital",
        "Putnam",
        "320 Pomfret Street, Putnam, CT 06260",
        (StrokeLevel.ACUTE_READY, CertifyingOrganization.JOINT_COMMISSION, 20),
        [TraumaLevel.LEVEL_IV],
    ),
]

# category slug, nominee, affiliation, citation — per past year (this year minus 1 and 2)
PAST_RECIPIENTS = {
    1: [
        (
            "organization",
            "Naugatuck Valley Ambulance Corps",
            "Naugatuck",
            "for a decade of 24-hour volunteer coverage",
        ),
        (
            "individual",
            "Maria Delgado, Paramedic",
            "Hartford",
            "for leading the city's overdose response",
        ),
        (
            "educator",
            "Thomas Reilly, EMS Instructor/Coordinator",
            "Norwich",
            "for training over 600 EMTs",
        ),
        ("volunteer", "Frank Osei", "Canaan", "for 40 years on the town's ambulance"),
    ],
    2: [
        (
            "organization",
            "Shoreline Regional EMS",
            "Old Saybrook",
            "for its regional mutual-aid plan",
        ),
        (
            "physician",
            "Dr. Anita Shah",
            "New Haven",
            "for medical direction of mobile integrated health",
        ),
        (
            "legislator",
            "Rep. Jordan Whitfield",
            "Connecticut General Assembly",
            "for EMS workforce legislation",
        ),
    ],
}

REPORTS = [
    (
        "ems-working-group-report",
        "Emergency Medical Services Working Group: report to the General Assembly",
        PublicationKind.WORK_GROUP_REPORT,
        "Section 136 of Public Act 22-118 required the Department of Public Health, with the "
        "Department of Social Services, to establish a working group on emergency medical "
        "services.",
        "The working group examined Medicaid and private commercial emergency medical services "
        "rates, the emergency medical services workforce, and the provision of emergency medical "
        "services, including the adoption of mobile integrated health care and the provision of "
        "emergency medical services in other states.\n\nThe full report and its appendices are "
        "attached.",
        ["Working group report", "Appendix: rate survey"],
    ),
    (
        "mobile-integrated-health-report",
        "Mobile Integrated Health: legislative report",
        PublicationKind.LEGISLATIVE_REPORT,
        "Section 45 of Public Act 17-146 convened a twenty-four member workgroup to review the "
        "implementation of a mobile integrated health program.",
        "The Department of Public Health, in consultation with the Departments of Social "
        "Services and Insurance, convened the workgroup to review specific tasks related to the "
        "implementation of a mobile integrated health (MIH) program.\n\nThe Mobile Integrated "
        "Health Legislative Report to the General Assembly is attached.",
        ["Mobile Integrated Health legislative report"],
    ),
]


def demo_pdf(text: str) -> bytes:
    """A one-page PDF saying ``text`` (demo attachments; no renderer needed)."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 720 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _seed_hospitals(today: date) -> None:
    for name, town, address, stroke, trauma_levels in HOSPITALS:
        hospital, created = Hospital.objects.get_or_create(
            name=name, defaults={"town": town, "address": address}
        )
        if not created:
            continue
        if stroke:
            level, organization, days_left = stroke
            expires = today + timedelta(days=days_left)
            certification = StrokeCertification(
                hospital=hospital,
                level=level,
                certifying_organization=organization,
                certified_from=expires - timedelta(days=3 * 365),
                attestation_expires=expires,
            )
            certification.attestation.save(
                f"attestation-{hospital.pk}.pdf",
                ContentFile(demo_pdf(f"Demo attestation: {name}, {level.label}")),
                save=False,
            )
            certification.save()
        for level in trauma_levels:
            TraumaDesignation.objects.create(
                hospital=hospital,
                level=level,
                designated_from=today - timedelta(days=400),
                designated_until=today + timedelta(days=3 * 365 - 400),
            )


def _seed_awards(today: date) -> None:
    supervisor = User.objects.filter(groups__name=roles.SUPERVISOR).order_by("pk").first()
    NominationPeriod.objects.get_or_create(
        year=today.year,
        defaults={
            "opens": today - timedelta(days=20),
            "closes": today + timedelta(days=40),
            "ceremony_note": "Recipients are honored at the EMSPRO Conference in October.",
        },
    )
    for position, (name, slug, description) in enumerate(DEFAULT_AWARD_CATEGORIES):
        AwardCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    categories = {category.slug: category for category in AwardCategory.objects.all()}
    for years_ago, recipients in PAST_RECIPIENTS.items():
        year = today.year - years_ago
        period, created = NominationPeriod.objects.get_or_create(
            year=year,
            defaults={
                "opens": date(year, 4, 1),
                "closes": date(year, 6, 30),
                "ceremony_note": "Recipients were honored at the EMSPRO Conference.",
            },
        )
        if not created:
            continue
        for slug, nominee, affiliation, citation in recipients:
            nomination = Nomination.objects.create(
                period=period,
                category=categories[slug],
                nominee_name=nominee,
                nominee_affiliation=affiliation,
                nominator_name="Demo Nominator",
                nominator_email="nominator@example.com",
                narrative=f"Nominated {citation}.",
                citation=citation,
                submitted_at=timezone.make_aware(datetime(year, 5, 15, 12, 0)),
            )
            if supervisor is not None:
                services.nomination_shortlist(nomination=nomination, actor=supervisor)
                services.nomination_select_recipient(nomination=nomination, actor=supervisor)


# A news post of core's demo that carries the office's form, as news posts do (slug, title).
NEWS_ATTACHMENTS = [
    ("short-form-rate-application", "Short Form rate application and instructions"),
]


def _attach(document, name: str, text: str) -> None:
    document.file.save(name, ContentFile(demo_pdf(text)), save=False)
    document.save()


def _seed_news_attachments() -> None:
    for slug, title in NEWS_ATTACHMENTS:
        post = News.objects.filter(slug=slug).first()
        if post and not post.attachments.exists():
            _attach(NewsAttachment(news=post, title=title), f"{slug}.pdf", f"{title} (demo)")


def _seed_reports() -> None:
    now = timezone.now()
    for index, (slug, title, kind, summary, body, files) in enumerate(REPORTS):
        publication, created = Publication.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "kind": kind,
                "summary": summary,
                "body": body,
                "is_published": True,
                "published_at": now - timedelta(days=3 + 10 * index),
            },
        )
        if not created:
            continue
        for position, file_title in enumerate(files):
            _attach(
                PublicationFile(publication=publication, title=file_title, position=position),
                f"{slug}-{position + 1}.pdf",
                f"{title}: {file_title} (demo)",
            )


@transaction.atomic
def seed(*, stdout, providers=None):
    today = timezone.localdate()
    _seed_hospitals(today)
    _seed_awards(today)
    _seed_reports()
    _seed_news_attachments()
    help_content.load(topic_model=HelpTopic, faq_model=FaqEntry, contact_model=ContactDetails)
    stdout.write(
        f"  information: {Hospital.objects.count()} fictional hospitals, "
        f"{NominationPeriod.objects.count()} nomination periods, "
        f"{Publication.objects.count()} reports, {HelpTopic.objects.count()} help topics"
    )
