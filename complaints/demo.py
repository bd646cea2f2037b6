"""Demo complaints in every stage over the demo providers and organizations, run through the
services (so each has its audit trail). One closes with a suspension of R100002, which /verify/
then shows as suspended; investigator@example.com holds several. Idempotent: each demo complaint
carries a fixed submission token, and one already there is skipped.

``providers=N`` adds nothing more: complaints are few whatever the state's size.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_user
from core.transitions import save_with_audit
from organizations.models import Organization, Town
from providers.models import Certification

from . import services
from .constants import Category, Outcome
from .models import Complaint

NAMESPACE = uuid.UUID("6f1d2c1e-8a0b-4c59-9c33-0c0a1c0de777")

# key, subject ("provider:<number>", "organization:<number>" or a description), category,
# town, where it should end up.
DEMO = [
    ("received", "provider:A100003", Category.STANDARD_OF_CARE, "New Haven", "received"),
    ("received-late", "organization:AMB-0001", Category.REGULATORY, "Hartford", "overdue"),
    ("triaged", "organization:AMB-0002", Category.REGULATORY, "Bridgeport", "triaged"),
    ("assigned", "provider:E100005", Category.STANDARD_OF_CARE, "Waterbury", "assigned"),
    ("investigating", "organization:AMB-0003", Category.OTHER, "Stamford", "investigating"),
    ("referred", "provider:P100004", Category.STANDARD_OF_CARE, "Norwalk", "referred"),
    (
        "no-jurisdiction",
        "A hospital nurse in the emergency room",
        Category.OTHER,
        "Hartford",
        "no_jurisdiction",
    ),
    ("dismissed", "provider:A100003", Category.REGULATORY, "Danbury", "dismissed"),
    ("suspension", "provider:R100002", Category.STANDARD_OF_CARE, "Hartford", "suspension"),
]

NARRATIVE = (
    "Demo complaint: the crew arrived late, did not assess the patient and left without "
    "explaining why. (Invented for the demonstration.)"
)


def _exists(subject: str) -> bool:
    kind, _, number = subject.partition(":")
    if kind == "provider":
        return Certification.objects.filter(number=number).exists()
    if kind == "organization":
        return Organization.objects.filter(number=number).exists()
    return True


def _file(key, subject, category, town):
    is_record = subject.startswith(("provider:", "organization:"))
    return services.complaint_file(
        subject=subject if is_record else "",
        subject_description="" if is_record else subject,
        incident_date=timezone.localdate() - timedelta(days=20),
        incident_town=Town.objects.get(name=town),
        incident_place="Demo Street",
        category=category,
        narrative=NARRATIVE,
        complainant_name="Demo Complainant",
        complainant_email="complainant@example.com",
        submission_token=uuid.uuid5(NAMESPACE, key),
    )


def _advance(complaint, target, *, supervisor, investigator):
    today = timezone.localdate()
    if target == "overdue":
        complaint.due_on = today - timedelta(days=3)
        save_with_audit(complaint, actor=supervisor, reason="Demo: late", update_fields=["due_on"])
        return
    if target == "received":
        return
    if target == "no_jurisdiction":
        services.complaint_triage(
            complaint=complaint,
            actor=supervisor,
            has_jurisdiction=False,
            note="Hospital staff are licensed by the Department of Public Health.",
        )
        return
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    if target == "triaged":
        return
    services.complaint_assign(complaint=complaint, actor=supervisor, investigator=investigator)
    if target == "assigned":
        return
    services.complaint_start_investigation(complaint=complaint, actor=investigator)
    services.note_add(
        complaint=complaint, actor=investigator, body="Demo note: requested the run report."
    )
    if target == "investigating":
        complaint.refresh_from_db()
        complaint.due_on = today - timedelta(days=1)
        save_with_audit(complaint, actor=supervisor, reason="Demo: late", update_fields=["due_on"])
        services.complaint_issue_notice(complaint=complaint, actor=investigator)
        return
    if target == "referred":
        services.complaint_refer(
            complaint=complaint, actor=investigator, note="Referred to the Attorney General."
        )
        return
    services.complaint_issue_notice(complaint=complaint, actor=investigator)
    if target == "dismissed":
        services.complaint_close(
            complaint=complaint,
            actor=investigator,
            outcome=Outcome.DISMISSED,
            summary="The run report shows care met the protocol.",
        )
    elif target == "suspension":
        services.complaint_close(
            complaint=complaint,
            actor=investigator,
            outcome=Outcome.SUSPENSION,
            summary="Certification suspended for 60 days.",
            effective_from=today - timedelta(days=1),
            effective_until=today + timedelta(days=59),
        )


def seed(*, stdout, providers=None):
    supervisor = demo_user("supervisor@example.com")
    investigator = demo_user("investigator@example.com")
    created = 0
    for key, subject, category, town, target in DEMO:
        if Complaint.objects.filter(submission_token=uuid.uuid5(NAMESPACE, key)).exists():
            continue
        if not _exists(subject):
            continue  # the providers or organizations demo did not create this subject
        with transaction.atomic():
            complaint = _file(key, subject, category, town)
            _advance(complaint, target, supervisor=supervisor, investigator=investigator)
        created += 1
    stdout.write(
        f"  complaints: {created} demo complaints added ({Complaint.objects.count()} in all); "
        "R100002 suspended by complaint"
    )
