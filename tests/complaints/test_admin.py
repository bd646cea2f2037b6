"""The complaints admin: role per object, access log, queues, actions with their forms,
notes and evidence inlines, and the suspension reaching /verify/."""

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from complaints.constants import Outcome, Stage
from complaints.models import AccessLog, Complaint, Evidence, Note

from .factories import file_complaint, investigating, pdf

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:complaints_complaint_changelist")


def change_url(complaint):
    return reverse("admin:complaints_complaint_change", args=[complaint.pk])


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.INVESTIGATOR, True),
        (roles.SUPERVISOR, True),
        (roles.LICENSING_REVIEWER, False),
        (roles.VEHICLE_INSPECTOR, False),
        (roles.RATES_ANALYST, False),
    ],
)
def test_only_investigators_and_supervisors_open_complaints(
    staff_client, certification, role, allowed
):
    complaint = file_complaint(certification=certification)
    client = staff_client(role)
    response = client.get(change_url(complaint))
    if allowed:
        assert response.status_code == 200
        assert complaint.narrative in response.content.decode()
        log = AccessLog.objects.get(complaint=complaint)
        assert log.user == client.user and log.via == "admin"
    else:
        assert response.status_code in (302, 403, 404)
        assert complaint.narrative not in response.content.decode()
        assert client.get(CHANGELIST).status_code == 403
        assert not AccessLog.objects.exists()


def test_a_superuser_without_the_role_sees_no_complaint(staff_client, make_user, certification):
    complaint = file_complaint(certification=certification)
    boss = make_user(is_superuser=True, staff=True)
    client = staff_client(user=boss)
    assert client.get(change_url(complaint)).status_code in (302, 403, 404)


def test_access_log_is_for_supervisors(staff_client, certification, investigator, supervisor):
    complaint = file_complaint(certification=certification)
    staff_client(user=investigator).get(change_url(complaint))
    log_url = reverse("admin:complaints_accesslog_changelist")
    assert staff_client(user=investigator).get(log_url).status_code == 403
    client = staff_client(user=supervisor)
    response = client.get(log_url)
    assert response.status_code == 200
    assert investigator.email in response.content.decode()
    assert (
        "access log (supervisors only)"
        in client.get(change_url(complaint)).content.decode().lower()
    )


def test_changelist_shows_queues_and_filters(staff_client, certification, supervisor):
    file_complaint(certification=certification)
    client = staff_client(user=supervisor)
    body = client.get(CHANGELIST).content.decode()
    assert "Open complaints by stage" in body and "Open complaints by investigator" in body
    for query in ("?stage__exact=received", "?overdue=yes", "?category__exact=other", "?q=Medic"):
        assert client.get(CHANGELIST + query).status_code == 200


def _action(client, complaint, action, **data):
    return client.post(
        CHANGELIST,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [complaint.pk], **data},
        follow=True,
    )


def test_actions_take_a_complaint_to_a_suspension_that_verify_shows(
    staff_client, certification, investigator, client
):
    complaint = file_complaint(certification=certification)
    inv = staff_client(user=investigator)
    # The triage action asks first, then acts.
    response = _action(inv, complaint, "triage")
    assert b"Does the office have jurisdiction?" in response.content
    _action(inv, complaint, "triage", apply="1", has_jurisdiction="yes", note="")
    _action(inv, complaint, "take")
    _action(inv, complaint, "start_investigation")
    complaint.refresh_from_db()
    assert complaint.stage == Stage.INVESTIGATING and complaint.investigator == investigator
    today = timezone.localdate()
    # A refused close keeps the complaint where it was and says why.
    response = _action(inv, complaint, "close", apply="1", outcome=Outcome.SUSPENSION, summary="x")
    assert b"Give the date the outcome takes effect." in response.content
    _action(
        inv,
        complaint,
        "close",
        apply="1",
        outcome=Outcome.SUSPENSION,
        summary="Suspended for 30 days",
        effective_from=today.isoformat(),
        effective_until=(today + timedelta(days=30)).isoformat(),
    )
    complaint.refresh_from_db()
    assert complaint.stage == Stage.CLOSED
    verify = client.get(reverse("providers:verify"), {"number": certification.number})
    assert "Suspended" in verify.content.decode()


def test_assign_action_is_for_supervisors(staff_client, certification, investigator, supervisor):
    complaint = file_complaint(certification=certification)
    sup = staff_client(user=supervisor)
    _action(sup, complaint, "triage", apply="1", has_jurisdiction="yes")
    response = _action(staff_client(user=investigator), complaint, "assign")
    assert b"No action selected" in response.content or response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.stage == Stage.TRIAGED
    sup = staff_client(user=supervisor)  # one test client: sign the supervisor in again
    _action(sup, complaint, "assign", apply="1", investigator=investigator.pk)
    complaint.refresh_from_db()
    assert complaint.investigator == investigator


def test_notes_and_evidence_inlines_save_through_services(
    staff_client, certification, investigator, supervisor
):
    complaint = investigating(
        file_complaint(certification=certification),
        supervisor=supervisor,
        investigator=investigator,
    )
    client = staff_client(user=investigator)
    response = client.get(change_url(complaint))
    form = response.context["adminform"].form
    inline_prefixes = {
        formset.formset.model: formset.formset.prefix
        for formset in response.context["inline_admin_formsets"]
    }
    assert form is not None
    note_prefix = inline_prefixes[Note]
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{formset.formset.prefix}-{name}"] = management.initial.get(name, field.initial)
    evidence_prefix = next(
        formset.formset.prefix
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is Evidence and formset.formset.extra
    )
    data.update(
        {
            f"{note_prefix}-0-body": "Spoke to the crew chief",
            f"{evidence_prefix}-0-description": "Run report",
            f"{evidence_prefix}-0-file": pdf("run.pdf"),
        }
    )
    response = client.post(change_url(complaint), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    note = Note.objects.get(complaint=complaint)
    assert note.author == investigator and note.body == "Spoke to the crew chief"
    assert Evidence.objects.get(complaint=complaint).uploaded_by == investigator
    assert Complaint.objects.get(pk=complaint.pk).narrative == complaint.narrative


def test_decided_fields_are_read_only(staff_client, certification, supervisor):
    complaint = file_complaint(certification=certification)
    response = staff_client(user=supervisor).get(change_url(complaint))
    form = response.context["adminform"].form
    for name in ("stage", "outcome", "investigator", "narrative", "effective_from"):
        assert name not in form.fields
