"""Builders for complaint tests: a complaint filed through the service, and moved along."""

import uuid
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints import services
from complaints.constants import Category
from organizations.models import Town
from tests.uploads import PDF, PNG  # noqa: F401 - real files (content is checked); PNG for tests


def pdf(name="statement.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def file_complaint(*, certification=None, organization=None, **fields):
    if certification is not None:
        fields.setdefault("subject", f"provider:{certification.number}")
    elif organization is not None:
        fields.setdefault("subject", f"organization:{organization.number}")
    else:
        fields.setdefault("subject_description", "A crew from an unknown ambulance")
    fields.setdefault("incident_date", timezone.localdate() - timedelta(days=3))
    fields.setdefault("incident_town", Town.objects.get(name="Hartford"))
    fields.setdefault("category", Category.STANDARD_OF_CARE)
    fields.setdefault("narrative", "The crew left my father on the floor for an hour.")
    fields.setdefault("complainant_name", "Casey Complainant")
    fields.setdefault("complainant_email", "casey@example.net")
    fields.setdefault("submission_token", uuid.uuid4())
    return services.complaint_file(**fields)


def investigating(complaint, *, supervisor, investigator):
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    services.complaint_assign(complaint=complaint, actor=supervisor, investigator=investigator)
    services.complaint_start_investigation(complaint=complaint, actor=investigator)
    complaint.refresh_from_db()
    return complaint
