"""Demo data of education and of first certification (run after providers' demo, whose people
it uses): the training institution training@example.com, an Instructor/Coordinator, approved
courses with T3 numbers and one pending, initial applications in several states (walked
through the real services), and lapsed@example.com linked to Lee Lapsed's certification
E100006, lapsed and eligible for reinstatement. Idempotent."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts import roles
from accounts.demo import demo_user, ensure_user
from core.files import minimal_pdf
from providers import rules
from providers.applications import initial
from providers.models import (
    ApplicationStatus,
    Certification,
    Credential,
    CredentialKind,
    IncompleteReason,
    InitialApplication,
)

from . import services
from .models import Course

TRAINING_EMAIL = "training@example.com"
LAPSED_EMAIL = "lapsed@example.com"
INSTRUCTOR_NUMBER = "IC100004"

# title, topic, delivery, hours, component, starts (days from today), ends, approved
COURSES = [
    ("EMT original course", "EMT initial education", "live", "150", "national", -200, 120, True),
    (
        "Paramedic program",
        "Paramedic initial education",
        "live",
        "1000",
        "national",
        -400,
        300,
        True,
    ),
    ("Pediatric airway online", "Airway", "distributive", "2", "local", -60, 300, True),
    ("Trauma assessment refresher", "Trauma", "live", "4", "individual", -30, 30, True),
    (
        "Stroke recognition (pending)",
        "Cardiology and stroke",
        "distributive",
        "1",
        "local",
        0,
        200,
        False,
    ),
]

# email, first, last, level, target status
APPLICANTS = [
    ("new.draft@example.com", "Dana", "Draft", rules.Level.EMT, ApplicationStatus.DRAFT),
    ("new.fee@example.com", "Faye", "Feedue", rules.Level.EMR, ApplicationStatus.FEE_DUE),
    ("new.submitted@example.com", "Sol", "Submitted", rules.Level.EMT, ApplicationStatus.SUBMITTED),
    ("new.returned@example.com", "Ren", "Returned", rules.Level.AEMT, ApplicationStatus.RETURNED),
    ("new.approved@example.com", "Abe", "Approved", rules.Level.EMT, ApplicationStatus.APPROVED),
]

PDF = minimal_pdf()  # a real (blank) PDF, like any stored upload


def _instructor():
    credential = Credential.objects.filter(number=INSTRUCTOR_NUMBER).first()
    if credential:
        return credential
    medic = Certification.objects.select_related("provider").get(number="P100004")
    today = timezone.localdate()
    return Credential.objects.create(
        provider=medic.provider,
        kind=CredentialKind.INSTRUCTOR,
        number=INSTRUCTOR_NUMBER,
        underlying=medic,
        issued_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=430),
    )


def _courses(institution, reviewer):
    today = timezone.localdate()
    instructor = _instructor()
    made = {}
    for title, topic, delivery, hours, component, start, end, approve in COURSES:
        course = Course.objects.filter(title=title).first()
        if course is None:
            course = services.course_submit(
                institution=institution,
                institution_name="Capitol Community College EMS Academy",
                title=title,
                topic=topic,
                delivery=delivery,
                hours=Decimal(hours),
                component=component,
                starts_on=today + timedelta(days=start),
                ends_on=today + timedelta(days=end),
                instructor_numbers=[instructor.number],
                description=f"{title}: a demo course.",
            )
            if approve:
                course = services.course_approve(course=course, actor=reviewer)
        made[title] = course
    return made


def _initial_applications(course, reviewer):
    today = timezone.localdate()
    reason = IncompleteReason.objects.filter(is_active=True).first()
    for index, (email, first, last, level, target) in enumerate(APPLICANTS, start=1):
        user = ensure_user(
            email=email, full_name=f"{first} {last}", role=roles.PROVIDER, is_staff=False
        )
        if InitialApplication.objects.filter(applicant=user).exists():
            continue
        application = initial.initial_start(user=user, level=level)
        data = {"first_name": first, "last_name": last, "email": email}
        if target != ApplicationStatus.DRAFT:
            data |= {
                "date_of_birth": today.replace(year=today.year - 20 - index),
                "ssn": f"700-00-{index:04d}",
                "address_line1": "410 Capitol Avenue",
                "city": "Hartford",
                "state": "CT",
                "postal_code": "06134",
                "course_title": course.title,
                "course_approval_number": course.approval_number,
                "course_completed_on": course.starts_on + timedelta(days=10),
                "nremt_number": f"N{index:07d}",
                "exam_passed_on": today - timedelta(days=20),
                "cpr_expires_on": today + timedelta(days=500),
                "background_attest": True,
            }
        initial.initial_save(
            application=application,
            actor=user,
            data=data,
            cpr_card=ContentFile(PDF, name="cpr.pdf")
            if target != ApplicationStatus.DRAFT
            else None,
        )
        if target == ApplicationStatus.DRAFT:
            continue
        initial.initial_save(
            application=application, actor=user, data={"attestation_name": f"{first} {last}"}
        )
        application = initial.initial_request_fee(application=application, actor=user)
        if target == ApplicationStatus.FEE_DUE:
            continue
        initial.initial_mark_paid(application=application)
        initial.initial_submit(application=application, actor=user)
        if target == ApplicationStatus.SUBMITTED:
            continue
        initial.initial_start_review(application=application, actor=reviewer)
        if target == ApplicationStatus.RETURNED and reason:
            initial.initial_return_incomplete(
                application=application, actor=reviewer, reasons=[reason], note="Demo"
            )
        elif target == ApplicationStatus.APPROVED:
            initial.initial_approve(application=application, actor=reviewer)


def _lapsed_user():
    user = ensure_user(
        email=LAPSED_EMAIL, full_name="Lee Lapsed", role=roles.PROVIDER, is_staff=False
    )
    certification = (
        Certification.objects.select_related("provider").filter(number="E100006").first()
    )
    if certification and certification.provider.user_id is None:
        certification.provider.user = user
        certification.provider.save(update_fields=["user"])


def seed(*, stdout, providers=None):
    if not Certification.objects.filter(number="P100004").exists():
        stdout.write("  education: skipped (the providers demo has not run)")
        return
    roles.sync_role_permissions()
    institution = ensure_user(
        email=TRAINING_EMAIL,
        full_name="Capitol Community College",
        role=roles.TRAINING_INSTITUTION,
        is_staff=False,
    )

    reviewer = demo_user("reviewer@example.com")
    courses = _courses(institution, reviewer)
    _initial_applications(courses["EMT original course"], reviewer)
    _lapsed_user()
    stdout.write(
        f"  education: {Course.objects.count()} courses, "
        f"{InitialApplication.objects.count()} initial applications, {TRAINING_EMAIL}"
    )
