"""Builders for education, initial certification and reinstatement tests."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import roles
from education import services as education_services
from providers import rules
from providers.applications import initial
from providers.models import Credential, CredentialKind
from tests.providers.factories import make_certification
from tests.uploads import PDF

_sequence = count(1)


def pdf(name="card.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_instructor(**fields):
    n = next(_sequence)
    certification = make_certification(
        level=rules.Level.PARAMEDIC, expires_in=300, ssn=f"555-00-{n:04d}", last_name=f"Teach{n}"
    )
    today = timezone.localdate()
    return Credential.objects.create(
        provider=certification.provider,
        kind=CredentialKind.INSTRUCTOR,
        number=f"IC{n:05d}",
        underlying=certification,
        issued_on=today - timedelta(days=100),
        expires_on=today + timedelta(days=600),
        **fields,
    )


def make_institution(make_user, email=None):
    return make_user(email, role=roles.TRAINING_INSTITUTION)


def submit_course(institution, *, instructor=None, **fields):
    today = timezone.localdate()
    data = {
        "institution_name": "Capitol Community College",
        "title": "EMT original course",
        "topic": "EMT initial education",
        "delivery": "live",
        "hours": Decimal("150"),
        "component": "national",
        "starts_on": today - timedelta(days=120),
        "ends_on": today + timedelta(days=60),
        **fields,
    }
    instructor = instructor or make_instructor()
    return education_services.course_submit(
        institution=institution, instructor_numbers=[instructor.number], **data
    )


def approved_course(institution, reviewer, **fields):
    course = submit_course(institution, **fields)
    return education_services.course_approve(course=course, actor=reviewer)


def filled_initial(user, *, level=rules.Level.EMT, course, ssn="123-45-6789", **overrides):
    """A draft with everything an initial application needs."""
    today = timezone.localdate()
    application = initial.initial_start(user=user, level=level)
    data = {
        "first_name": "Nina",
        "middle_name": "",
        "last_name": "Newcomer",
        "date_of_birth": today.replace(year=today.year - 25),
        "email": user.email,
        "phone": "",
        "address_line1": "1 Main St",
        "city": "Hartford",
        "state": "CT",
        "postal_code": "06106",
        "course_title": course.title,
        "course_approval_number": course.approval_number,
        "course_completed_on": today - timedelta(days=10),
        "nremt_number": "E1234567",
        "exam_passed_on": today - timedelta(days=5),
        "cpr_expires_on": today + timedelta(days=365),
        "acls_expires_on": today + timedelta(days=365) if level == rules.Level.PARAMEDIC else None,
        "background_attest": True,
        "ssn": ssn,
        **overrides,
    }
    application = initial.initial_save(
        application=application,
        actor=user,
        data=data,
        cpr_card=pdf("cpr.pdf"),
        acls_card=pdf("acls.pdf") if level == rules.Level.PARAMEDIC else None,
    )
    name = " ".join(p for p in (data["first_name"], data["last_name"]) if p)
    return initial.initial_save(
        application=application, actor=user, data={"attestation_name": name}
    )


def pay(application, actor):
    from django.test import TestCase

    from payments.selectors import invoice_for
    from payments.services import invoice_mark_paid

    # invoice_paid is sent on commit; run it here as a committed payment would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        invoice_mark_paid(invoice=invoice_for(subject=application), actor=actor)
    application.refresh_from_db()
    return application
