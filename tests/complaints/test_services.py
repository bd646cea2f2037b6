"""Complaint services: filing, every transition allowed and refused, outcomes that act on a
certification or an organization, notices, notes and evidence."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from complaints import services
from complaints.constants import STAGE_DEADLINE_DAYS, Outcome, Stage
from complaints.models import Complaint, SubjectKind
from core.errors import DomainError
from core.transitions import status_timeline
from organizations.models import OrganizationStatus
from tests.organizations.factories import OrganizationFactory

from .factories import PNG, file_complaint, investigating, pdf

pytestmark = pytest.mark.django_db
today = timezone.localdate


# --- filing ---------------------------------------------------------------------------------


def test_filing_gives_a_tracking_number_deadline_and_receipt(
    certification, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(certification=certification, attachments=[pdf()])
    year = today().year
    assert complaint.tracking_number == f"C-{year}-000001"
    assert complaint.subject_kind == SubjectKind.PROVIDER
    assert complaint.certification == certification
    assert complaint.stage == Stage.RECEIVED
    assert complaint.due_on == today() + timedelta(days=STAGE_DEADLINE_DAYS[Stage.RECEIVED])
    assert complaint.attachments.get().original_name == "statement.pdf"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["casey@example.net"]
    assert complaint.tracking_number in mailoutbox[0].body
    assert "floor" not in mailoutbox[0].body  # the narrative is never emailed
    second = file_complaint(certification=certification)
    assert second.tracking_number == f"C-{year}-000002"


def test_the_same_submission_token_files_once(certification):
    token = uuid.uuid4()
    first = file_complaint(certification=certification, submission_token=token)
    second = file_complaint(certification=certification, submission_token=token)
    assert first.pk == second.pk
    assert Complaint.objects.count() == 1


def test_anonymous_complaint_keeps_no_contact_and_sends_no_receipt(
    certification, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(
            certification=certification, anonymous=True, complainant_email="x@example.net"
        )
    assert complaint.complainant_email == "" and complaint.complainant_name == ""
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"narrative": "  "}, "narrative"),
        ({"incident_date": timezone.localdate() + timedelta(days=1)}, "incident_date"),
        ({"subject": "provider:E999999"}, "subject"),
        ({"subject": "organization:AMB-9999"}, "subject"),
        ({"subject": "", "subject_description": ""}, "subject_description"),
        ({"complainant_email": "", "complainant_phone": ""}, "complainant_email"),
        ({"attachments": [pdf("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))]}, "attachments"),
        ({"attachments": [pdf("virus.pdf", b"MZ\x90\x00 not a pdf")]}, "attachments"),
    ],
)
def test_bad_input_is_refused_beside_its_field(certification, fields, field):
    with pytest.raises(DomainError) as error:
        file_complaint(certification=certification, **fields)
    assert error.value.field == field
    assert Complaint.objects.count() == 0


def test_an_image_attachment_is_accepted_by_content(certification):
    complaint = file_complaint(certification=certification, attachments=[pdf("photo.png", PNG)])
    assert complaint.attachments.count() == 1


def test_described_subject_when_not_found():
    complaint = file_complaint(subject_description="Driver of ambulance 12, blue stripe")
    assert complaint.subject_kind == SubjectKind.DESCRIBED
    assert complaint.certification is None and complaint.organization is None


# --- transitions ----------------------------------------------------------------------------


def test_full_path_with_audit_records(
    certification, supervisor, investigator, mailoutbox, django_capture_on_commit_callbacks
):
    complaint = file_complaint(certification=certification)
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    complaint.refresh_from_db()
    assert complaint.stage == Stage.TRIAGED and complaint.has_jurisdiction is True
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(complaint=complaint, actor=supervisor, investigator=investigator)
    assert mailoutbox[-1].to == [investigator.email]
    services.complaint_start_investigation(complaint=complaint, actor=investigator)
    complaint.refresh_from_db()
    assert complaint.due_on == today() + timedelta(days=STAGE_DEADLINE_DAYS[Stage.INVESTIGATING])
    services.complaint_refer(complaint=complaint, actor=investigator, note="To the AG")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_close(
            complaint=complaint, actor=investigator, outcome=Outcome.REPRIMAND, summary="Reprimand"
        )
    complaint.refresh_from_db()
    assert complaint.stage == Stage.CLOSED and complaint.outcome == Outcome.REPRIMAND
    assert complaint.due_on is None and complaint.effect_applied == ""
    assert mailoutbox[-1].to == ["casey@example.net"]
    assert "Reprimand" in mailoutbox[-1].body
    timeline = status_timeline(complaint, field="stage")
    assert [entry.new for entry in timeline] == [
        "received",
        "triaged",
        "assigned",
        "investigating",
        "referred",
        "closed",
    ]
    assert timeline[4].actor == investigator and timeline[4].reason == "To the AG"


def test_no_jurisdiction_closes_at_triage(certification, supervisor):
    complaint = file_complaint(certification=certification)
    with pytest.raises(DomainError) as error:
        services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=False)
    assert error.value.field == "note"
    services.complaint_triage(
        complaint=complaint, actor=supervisor, has_jurisdiction=False, note="Hospital staff"
    )
    complaint.refresh_from_db()
    assert complaint.stage == Stage.CLOSED
    assert complaint.outcome == Outcome.NO_JURISDICTION


@pytest.mark.parametrize(
    "action",
    [
        lambda c, sup, inv: services.complaint_start_investigation(complaint=c, actor=sup),
        lambda c, sup, inv: services.complaint_refer(complaint=c, actor=sup, note="x"),
        lambda c, sup, inv: services.complaint_close(
            complaint=c, actor=sup, outcome=Outcome.DISMISSED, summary="x"
        ),
    ],
    ids=["start", "refer", "close"],
)
def test_moves_out_of_order_are_refused(certification, supervisor, investigator, action):
    complaint = file_complaint(certification=certification)
    with pytest.raises(DomainError):
        action(complaint, supervisor, investigator)
    complaint.refresh_from_db()
    assert complaint.stage == Stage.RECEIVED


def test_assign_before_triage_and_triage_twice_are_refused(certification, supervisor, investigator):
    complaint = file_complaint(certification=certification)
    with pytest.raises(DomainError):
        services.complaint_assign(complaint=complaint, actor=supervisor, investigator=investigator)
    investigating(complaint, supervisor=supervisor, investigator=investigator)
    with pytest.raises(DomainError):
        services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    with pytest.raises(DomainError):
        services.complaint_triage(
            complaint=complaint, actor=supervisor, has_jurisdiction=False, note="x"
        )


def test_closed_complaint_accepts_no_further_move(certification, supervisor, investigator):
    complaint = investigating(
        file_complaint(certification=certification),
        supervisor=supervisor,
        investigator=investigator,
    )
    services.complaint_close(
        complaint=complaint, actor=investigator, outcome=Outcome.DISMISSED, summary="x"
    )
    for action in (
        lambda: services.complaint_refer(complaint=complaint, actor=supervisor, note="x"),
        lambda: services.complaint_assign(
            complaint=complaint, actor=supervisor, investigator=investigator
        ),
        lambda: services.complaint_start_investigation(complaint=complaint, actor=supervisor),
    ):
        with pytest.raises(DomainError):
            action()


def test_reassignment_and_only_supervisors_assign_others(
    certification, supervisor, investigator, make_user
):
    other = make_user(role=roles.INVESTIGATOR)
    complaint = file_complaint(certification=certification)
    services.complaint_triage(complaint=complaint, actor=investigator, has_jurisdiction=True)
    with pytest.raises(DomainError) as error:
        services.complaint_assign(complaint=complaint, actor=investigator, investigator=other)
    assert error.value.code == "forbidden"
    services.complaint_assign(complaint=complaint, actor=investigator, investigator=investigator)
    services.complaint_assign(complaint=complaint, actor=supervisor, investigator=other)
    complaint.refresh_from_db()
    assert complaint.investigator == other
    with pytest.raises(DomainError):  # no longer theirs
        services.complaint_start_investigation(complaint=complaint, actor=investigator)


def test_assigning_to_someone_without_the_role_is_refused(certification, supervisor, make_user):
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    complaint = file_complaint(certification=certification)
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    with pytest.raises(DomainError) as error:
        services.complaint_assign(complaint=complaint, actor=supervisor, investigator=reviewer)
    assert error.value.field == "investigator"


@pytest.mark.parametrize(
    "role", [roles.LICENSING_REVIEWER, roles.VEHICLE_INSPECTOR, roles.RATES_ANALYST, None]
)
def test_other_roles_cannot_move_complaints(certification, make_user, role):
    someone = make_user(role=role)
    complaint = file_complaint(certification=certification)
    with pytest.raises(DomainError) as error:
        services.complaint_triage(complaint=complaint, actor=someone, has_jurisdiction=True)
    assert error.value.code == "forbidden"


# --- outcomes that act on status ------------------------------------------------------------


def test_suspension_suspends_the_certification_and_lifting_restores(
    certification, supervisor, investigator
):
    complaint = investigating(
        file_complaint(certification=certification),
        supervisor=supervisor,
        investigator=investigator,
    )
    services.complaint_close(
        complaint=complaint,
        actor=investigator,
        outcome=Outcome.SUSPENSION,
        summary="Suspended 90 days",
        effective_from=today(),
        effective_until=today() + timedelta(days=90),
    )
    certification.refresh_from_db()
    assert certification.status == "suspended"
    assert certification.discipline_until == today() + timedelta(days=90)
    assert complaint.tracking_number in certification.history.first().history_change_reason
    with pytest.raises(DomainError):  # only supervisors lift
        services.complaint_lift_outcome(complaint=complaint, actor=investigator, reason="x")
    services.complaint_lift_outcome(complaint=complaint, actor=supervisor, reason="Appeal won")
    certification.refresh_from_db()
    assert certification.status == "active"
    complaint.refresh_from_db()
    assert complaint.effect_lifted_at is not None


def test_revocation_revokes_and_refuses_an_end_date(certification, supervisor, investigator):
    complaint = investigating(
        file_complaint(certification=certification),
        supervisor=supervisor,
        investigator=investigator,
    )
    with pytest.raises(DomainError) as error:
        services.complaint_close(
            complaint=complaint,
            actor=investigator,
            outcome=Outcome.REVOCATION,
            summary="x",
            effective_from=today(),
            effective_until=today() + timedelta(days=5),
        )
    assert error.value.field == "effective_until"
    services.complaint_close(
        complaint=complaint,
        actor=investigator,
        outcome=Outcome.REVOCATION,
        summary="Revoked",
        effective_from=today(),
    )
    certification.refresh_from_db()
    assert certification.status == "revoked"


def test_an_acting_outcome_needs_an_effective_date(certification, supervisor, investigator):
    complaint = investigating(
        file_complaint(certification=certification),
        supervisor=supervisor,
        investigator=investigator,
    )
    with pytest.raises(DomainError) as error:
        services.complaint_close(
            complaint=complaint, actor=investigator, outcome=Outcome.SUSPENSION, summary="x"
        )
    assert error.value.field == "effective_from"
    complaint.refresh_from_db()
    assert complaint.stage == Stage.INVESTIGATING


def test_consent_agreement_on_an_organization_suspends_it_and_lift_restores(
    supervisor, investigator
):
    organization = OrganizationFactory()
    complaint = investigating(
        file_complaint(organization=organization), supervisor=supervisor, investigator=investigator
    )
    services.complaint_close(
        complaint=complaint,
        actor=investigator,
        outcome=Outcome.CONSENT_AGREEMENT,
        summary="Agreed suspension",
        effective_from=today(),
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.SUSPENDED
    services.complaint_lift_outcome(complaint=complaint, actor=supervisor, reason="Terms met")
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.ACTIVE


def test_an_acting_outcome_on_a_described_subject_needs_a_linked_record(
    certification, supervisor, investigator
):
    complaint = investigating(file_complaint(), supervisor=supervisor, investigator=investigator)
    with pytest.raises(DomainError):
        services.complaint_close(
            complaint=complaint,
            actor=investigator,
            outcome=Outcome.SUSPENSION,
            summary="x",
            effective_from=today(),
        )
    services.complaint_link_subject(
        complaint=complaint, actor=investigator, certification=certification
    )
    services.complaint_close(
        complaint=complaint,
        actor=investigator,
        outcome=Outcome.SUSPENSION,
        summary="x",
        effective_from=today(),
    )
    certification.refresh_from_db()
    assert certification.status == "suspended"


def test_lifting_an_outcome_that_changed_nothing_is_refused(
    certification, supervisor, investigator
):
    complaint = investigating(
        file_complaint(certification=certification),
        supervisor=supervisor,
        investigator=investigator,
    )
    services.complaint_close(
        complaint=complaint, actor=investigator, outcome=Outcome.CENSURE, summary="x"
    )
    with pytest.raises(DomainError):
        services.complaint_lift_outcome(complaint=complaint, actor=supervisor, reason="x")


# --- deadlines, notice, notes, evidence -----------------------------------------------------


def test_overdue_flag_follows_the_stage_deadline(certification, supervisor):
    complaint = file_complaint(certification=certification)
    later = today() + timedelta(days=STAGE_DEADLINE_DAYS[Stage.RECEIVED] + 1)
    assert complaint.is_overdue(later)
    assert Complaint.objects.overdue(today=later).filter(pk=complaint.pk).exists()
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    complaint.refresh_from_db()
    assert not complaint.is_overdue(later - timedelta(days=6))


def test_notice_needs_jurisdiction_and_emails_the_subject_without_the_complainant(
    certification, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    certification.provider.email = "morgan@example.net"
    certification.provider.save()
    complaint = file_complaint(certification=certification)
    with pytest.raises(DomainError):
        services.complaint_issue_notice(complaint=complaint, actor=supervisor)
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_issue_notice(complaint=complaint, actor=supervisor)
    message = mailoutbox[-1]
    assert message.to == ["morgan@example.net"]
    assert complaint.tracking_number in message.body
    assert "Casey" not in message.body and "casey@example.net" not in message.body
    assert "floor" not in message.body


def test_notes_and_evidence_are_recorded_with_their_author(certification, investigator):
    complaint = file_complaint(certification=certification)
    note = services.note_add(complaint=complaint, actor=investigator, body="Called the crew")
    assert note.author == investigator and note.history.first().history_user == investigator
    evidence = services.evidence_add(
        complaint=complaint, actor=investigator, file=pdf("run.pdf"), description="Run report"
    )
    assert evidence.uploaded_by == investigator
    with pytest.raises(DomainError):
        services.evidence_add(
            complaint=complaint,
            actor=investigator,
            file=pdf("x.pdf", b"GIF? no"),
            description="Bad file",
        )
