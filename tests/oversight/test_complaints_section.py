"""The complaints section of the oversight dashboard: open by stage and overdue, counts only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import roles
from complaints.models import Complaint
from organizations.models import Town
from oversight import sections

pytestmark = pytest.mark.django_db


def _complaint(number, stage, *, due_in_days):
    return Complaint.objects.create(
        tracking_number=f"C-2026-{number:06d}",
        stage=stage,
        category="standard_of_care",
        narrative="Narrative",
        incident_date=timezone.localdate() - timedelta(days=30),
        due_on=timezone.localdate() + timedelta(days=due_in_days),
        subject_description="An ambulance crew",
        incident_town=Town.objects.first(),
    )


def test_open_complaints_by_stage_with_overdue_counts(make_user):
    _complaint(1, "received", due_in_days=-1)
    _complaint(2, "received", due_in_days=5)
    _complaint(3, "investigating", due_in_days=-10)
    _complaint(4, "closed", due_in_days=-100)
    supervisor = make_user(role=roles.SUPERVISOR)
    section = sections.complaints(sections.Context(today=timezone.localdate(), user=supervisor))
    table = section.tables[0]
    by_stage = {row[0].value: (row[1].value, row[2].value) for row in table.rows}
    assert by_stage["Received"] == (2, 1)
    assert by_stage["Under investigation"] == (1, 1)
    assert by_stage["All open"] == (3, 2)
    received_link = table.rows[0][1].url
    assert received_link.endswith("?stage=received")


def test_links_to_complaints_only_for_roles_that_may_open_them(make_user):
    _complaint(1, "received", due_in_days=5)
    reviewer = make_user(role=roles.LICENSING_REVIEWER)
    table = sections.complaints(sections.Context(today=timezone.localdate(), user=reviewer)).tables[
        0
    ]
    assert all(cell.url is None for row in table.rows for cell in row)
