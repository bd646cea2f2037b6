"""Private files (core.files): every kind of stored file reaches only the people its object's
rule names; everyone else, anonymous included, gets 404. Content decides the type; downloads
carry attachment / nosniff / sandbox; nothing answers under /media/."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts import roles
from core import files
from core.files import content_kind, download_url, file_kinds
from tests.uploads import EXE, HTML_POLYGLOT, JPEG, PDF, PNG, SVG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Case:
    obj: object
    field: str
    owner: object | None  # the person the file belongs to (None: staff-only files)
    other: object | None  # another person of the same kind (another provider, another org admin)
    allowed_role: str  # the staff role that works on it
    denied_role: str | None  # a staff role without that job


def _org_admins(make_user):
    from tests.vehicles.factories import OrganizationFactory

    owner = make_user(role=roles.ORGANIZATION_ADMINISTRATOR)
    other = make_user(role=roles.ORGANIZATION_ADMINISTRATOR)
    OrganizationFactory(administrators=[other])
    return OrganizationFactory(administrators=[owner]), owner, other


def _provider_users(make_user):
    from tests.providers.factories import make_certification

    owner, other = make_user(role=roles.PROVIDER), make_user(role=roles.PROVIDER)
    make_certification(user=other, first_name="Other", ssn="123-45-6780")
    return make_certification(user=owner, first_name="Owner"), owner, other


def ce_certificate(make_user):
    from providers.models import CERecord

    certification, owner, other = _provider_users(make_user)
    record = CERecord.objects.create(
        provider=certification.provider,
        course_title="Airway",
        completed_on=timezone.localdate() - timedelta(days=5),
        hours=2,
        component="national",
        delivery="live",
        certificate=ContentFile(PDF, name="airway certificate.pdf"),
    )
    return Case(record, "certificate", owner, other, roles.LICENSING_REVIEWER, roles.INVESTIGATOR)


def renewal_document(make_user):
    from providers import services
    from providers.models import RenewalDocument

    certification, owner, other = _provider_users(make_user)
    application = services.renewal_start(certification=certification, user=owner)
    document = RenewalDocument.objects.create(
        application=application, kind="other", file=ContentFile(PDF, name="name change.pdf")
    )
    return Case(document, "file", owner, other, roles.LICENSING_REVIEWER, roles.VEHICLE_INSPECTOR)


def _initial(make_user, field):
    from providers.models import InitialApplication

    owner, other = make_user(), make_user()
    InitialApplication.objects.create(applicant=other, level="emt")
    application = InitialApplication.objects.create(
        applicant=owner, level="paramedic", **{field: ContentFile(PDF, name=f"{field}.pdf")}
    )
    return Case(application, field, owner, other, roles.LICENSING_REVIEWER, roles.RATES_ANALYST)


def initial_cpr_card(make_user):
    return _initial(make_user, "cpr_card")


def initial_acls_card(make_user):
    return _initial(make_user, "acls_card")


def chief_change_letter(make_user):
    from organizations import rules
    from organizations.models import ChiefChangeReport

    organization, owner, other = _org_admins(make_user)
    effective = timezone.localdate() - timedelta(days=3)
    report = ChiefChangeReport.objects.create(
        organization=organization,
        new_chief_name="Dana Chief",
        new_chief_email="dana@example.org",
        effective_date=effective,
        reported_by=owner,
        submitted_on=timezone.localdate(),
        due_on=rules.chief_change_due_date(effective),
        letterhead=ContentFile(PDF, name="letterhead.pdf"),
    )
    return Case(report, "letterhead", owner, other, roles.LICENSING_REVIEWER, roles.RATES_ANALYST)


def rate_filing_attachment(make_user):
    from rates import services
    from rates.models import FilingForm
    from tests.rates.factories import PRIOR_2023, RateYearFactory, approved_schedule

    organization, owner, other = _org_admins(make_user)
    approved_schedule(organization, 2023, PRIOR_2023)
    filing = services.filing_start(
        organization=organization,
        rate_year=RateYearFactory(year=2024),
        form=FilingForm.LONG,
        actor=owner,
    )
    attachment = services.filing_attach(
        filing=filing,
        file=ContentFile(PDF, name="audit.pdf"),
        description="Audited statements",
        actor=owner,
    )
    return Case(attachment, "file", owner, other, roles.RATES_ANALYST, roles.LICENSING_REVIEWER)


def inspection_photo(make_user):
    from tests.vehicles.factories import ChecklistItemFactory, InspectionFactory, VehicleFactory
    from vehicles.models import InspectionAnswer

    organization, owner, other = _org_admins(make_user)
    inspection = InspectionFactory(
        vehicle=VehicleFactory(organization=organization),
        inspector=make_user(role=roles.VEHICLE_INSPECTOR),
    )
    item = ChecklistItemFactory()
    answer = InspectionAnswer.objects.create(
        inspection=inspection,
        item=item,
        section=item.section,
        category=item.category,
        description=item.description,
        result="fail",
        photo=ContentFile(PNG, name="dent.png"),
    )
    return Case(answer, "photo", owner, other, roles.VEHICLE_INSPECTOR, roles.RATES_ANALYST)


def hospital_attestation(make_user):
    from tests.information.factories import StrokeCertificationFactory

    certification = StrokeCertificationFactory(attestation=ContentFile(PDF, name="attestation.pdf"))
    return Case(
        certification, "attestation", None, make_user(), roles.SUPERVISOR, roles.VEHICLE_INSPECTOR
    )


def nomination_attachment(make_user):
    from tests.information.factories import NominationFactory

    nomination = NominationFactory(attachment=ContentFile(PDF, name="letters.pdf"))
    return Case(
        nomination, "attachment", None, make_user(), roles.LICENSING_REVIEWER, roles.INVESTIGATOR
    )


def complaint_attachment(make_user):
    from tests.complaints.factories import file_complaint, pdf
    from tests.providers.factories import make_certification

    complaint = file_complaint(certification=make_certification(), attachments=[pdf()])
    return Case(
        complaint.attachments.get(),
        "file",
        None,
        make_user(),
        roles.INVESTIGATOR,
        roles.LICENSING_REVIEWER,
    )


def complaint_evidence(make_user):
    from complaints.models import Evidence
    from tests.complaints.factories import file_complaint
    from tests.providers.factories import make_certification

    complaint = file_complaint(certification=make_certification())
    evidence = Evidence.objects.create(
        complaint=complaint,
        file=ContentFile(JPEG, name="scene.jpg"),
        description="Photo of the scene",
        original_name="scene.jpg",
        uploaded_by=make_user(role=roles.INVESTIGATOR),
    )
    return Case(evidence, "file", None, make_user(), roles.SUPERVISOR, roles.RATES_ANALYST)


def _job(kind, params, requested_by):
    from documents.models import DocumentJob, JobStatus

    return DocumentJob.objects.create(
        kind=kind,
        title=kind,
        params=params,
        params_key=hashlib.sha256(repr(params).encode()).hexdigest(),
        fingerprint="test",
        status=JobStatus.DONE,
        requested_by=requested_by,
        file=ContentFile(PDF, name=f"{kind}.pdf"),
    )


def generated_document(make_user):
    """The state-wide provider roster: licensing staff may have it, an inspector may not."""
    job = _job("provider-roster", {}, None)
    return Case(job, "file", None, make_user(), roles.LICENSING_REVIEWER, roles.VEHICLE_INSPECTOR)


def generated_organization_roster(make_user):
    organization, owner, other = _org_admins(make_user)
    job = _job("organization-roster", {"organization": organization.pk}, owner)
    return Case(job, "file", owner, other, roles.LICENSING_REVIEWER, None)


def certification_card(make_user):
    certification, owner, other = _provider_users(make_user)
    job = _job("certification-card", {"certification": certification.number}, owner)
    # Investigators look providers up, but a card is for the holder and licensing staff only.
    return Case(job, "file", owner, other, roles.LICENSING_REVIEWER, roles.INVESTIGATOR)


def name_change_proof(make_user):
    from providers.models import NameChangeRequest

    certification, owner, other = _provider_users(make_user)
    request = NameChangeRequest.objects.create(
        provider=certification.provider,
        first_name="Owner",
        last_name="Married-Name",
        proof=ContentFile(PDF, name="marriage-certificate.pdf"),
        requested_by=owner,
    )
    # Licensing staff review it; an investigator has no business with it.
    return Case(request, "proof", owner, other, roles.LICENSING_REVIEWER, roles.INVESTIGATOR)


KINDS = {
    "ce-certificate": ce_certificate,
    "name-change-proof": name_change_proof,
    "renewal-document": renewal_document,
    "initial-cpr-card": initial_cpr_card,
    "initial-acls-card": initial_acls_card,
    "chief-change-letter": chief_change_letter,
    "rate-filing-attachment": rate_filing_attachment,
    "inspection-photo": inspection_photo,
    "hospital-attestation": hospital_attestation,
    "nomination-attachment": nomination_attachment,
    "complaint-attachment": complaint_attachment,
    "complaint-evidence": complaint_evidence,
    "generated-document": generated_document,
    "generated-document/organization-roster": generated_organization_roster,
    "generated-document/certification-card": certification_card,
}


def test_every_private_kind_is_covered_here():
    # The public kinds (published reports' and news posts' PDFs) are tested with their pages:
    # tests/information/test_views.py and test_news_attachments.py.
    covered = {name.split("/")[0] for name in KINDS} | {"publication-file", "news-attachment"}
    assert covered == set(file_kinds())


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_reaches_its_owner_and_its_staff_and_nobody_else(
    name, client, make_user, staff_client
):
    case = KINDS[name](make_user)
    stored = getattr(case.obj, case.field)
    url = stored.url
    assert url == download_url(name.split("/")[0], case.obj.pk)

    def status(expected_body=True):
        response = client.get(url)
        if response.status_code == 200 and expected_body:
            assert b"".join(response.streaming_content) in (PDF, PNG, JPEG)
        return response.status_code

    if case.owner is not None:
        client.force_login(case.owner)
        assert status() == 200
    if case.other is not None:
        client.force_login(case.other)
        assert status() == 404
    client.logout()
    assert status() == 404
    staff_client(case.allowed_role)
    assert status() == 200
    if case.denied_role is not None:
        staff_client(case.denied_role)
        assert status() == 404


def test_a_staff_member_without_the_second_factor_this_session_is_not_given_the_file(
    client, make_user
):
    case = ce_certificate(make_user)
    client.force_login(make_user(role=roles.LICENSING_REVIEWER))  # no TOTP step
    response = client.get(case.obj.certificate.url)
    # The one staff rule (accounts.staff_access) sends them to the authenticator first.
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/")
    assert "Content-Disposition" not in response


def test_an_unknown_kind_or_id_is_404(client, make_user, staff_client):
    case = ce_certificate(make_user)
    staff_client(roles.SUPERVISOR)
    assert client.get(download_url("no-such-kind", case.obj.pk)).status_code == 404
    assert client.get(download_url("ce-certificate", case.obj.pk + 999)).status_code == 404
    assert client.get(download_url("generated-document", "not-a-uuid")).status_code == 404


def test_a_published_reports_file_is_public_and_an_unpublished_one_is_staffs(client, staff_client):
    from information.models import PublicationFile
    from tests.information.factories import PublicationFactory

    published = PublicationFactory(published_at=timezone.now() - timedelta(days=1))
    draft = PublicationFactory(is_published=False)
    public_file = PublicationFile.objects.create(
        publication=published, title="Report", file=ContentFile(PDF, name="report.pdf")
    )
    draft_file = PublicationFile.objects.create(
        publication=draft, title="Draft", file=ContentFile(PDF, name="draft.pdf")
    )
    assert client.get(public_file.get_absolute_url()).status_code == 200
    assert client.get(draft_file.get_absolute_url()).status_code == 404
    staff_client(roles.SUPERVISOR)
    assert client.get(draft_file.get_absolute_url()).status_code == 200


# --- Stored names, types and the response ---------------------------------------------------------


def test_a_file_is_stored_under_a_random_name_in_its_kinds_folder_keeping_its_own_name(
    make_user,
):
    record = ce_certificate(make_user).obj
    record.refresh_from_db()
    folder, stored = record.certificate.name.rsplit("/", 1)
    assert folder == "files/providers/ce-certificates"
    stem, extension = stored.split(".")
    assert len(stem) == 32 and int(stem, 16) >= 0 and extension == "pdf"
    assert record.certificate_name == "airway certificate.pdf"


def test_the_stored_extension_is_the_one_the_content_proves(make_user):
    from providers.models import InitialApplication

    application = InitialApplication.objects.create(
        applicant=make_user(), level="emt", cpr_card=ContentFile(PNG, name="card.pdf")
    )
    assert application.cpr_card.name.endswith(".png")
    assert application.cpr_card_name == "card.pdf"
    html = InitialApplication.objects.create(
        applicant=make_user(), level="emt", cpr_card=ContentFile(HTML_POLYGLOT, name="poc.html")
    )
    assert html.cpr_card.name.endswith(".bin")  # stored only by code that skips the form check


def test_the_download_is_an_attachment_with_nosniff_and_a_sandbox(client, make_user):
    case = ce_certificate(make_user)
    client.force_login(case.owner)
    response = client.get(case.obj.certificate.url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="airway certificate.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]


def test_the_download_name_takes_the_extension_the_content_proved(client, make_user):
    from providers.models import InitialApplication

    owner = make_user()
    application = InitialApplication.objects.create(
        applicant=owner, level="emt", cpr_card=ContentFile(PNG, name="poc.html")
    )
    client.force_login(owner)
    response = client.get(application.cpr_card.url)
    assert response["Content-Type"] == "image/png"
    assert 'filename="poc.png"' in response["Content-Disposition"]


def test_front_server_hand_off_sends_no_body_and_keeps_the_headers(client, make_user, settings):
    case = ce_certificate(make_user)
    client.force_login(case.owner)
    settings.PRIVATE_FILES_SERVE = "x-accel-redirect"
    response = client.get(case.obj.certificate.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-files/" + case.obj.certificate.name
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    settings.PRIVATE_FILES_SERVE = "x-sendfile"
    response = client.get(case.obj.certificate.url)
    assert response["X-Sendfile"] == case.obj.certificate.path
    # The check still comes first.
    client.logout()
    assert client.get(case.obj.certificate.url).status_code == 404


def test_object_storage_gets_a_short_lived_presigned_redirect_after_the_check(
    client, make_user, settings, monkeypatch
):
    from django.core.files.storage import default_storage

    case = ce_certificate(make_user)
    asked = {}

    def presigned(name, parameters=None, expire=None):
        asked.update(name=name, parameters=parameters, expire=expire)
        return f"https://bucket.example/{name}?X-Amz-Expires={expire}"

    monkeypatch.setattr(default_storage, "url", presigned)
    settings.PRIVATE_FILES_SERVE = "storage-redirect"
    client.logout()
    assert client.get(case.obj.certificate.url).status_code == 404
    assert asked == {}  # nothing presigned for someone refused
    client.force_login(case.owner)
    response = client.get(case.obj.certificate.url)
    assert response.status_code == 302
    assert response["Location"].startswith("https://bucket.example/files/providers/")
    assert asked["expire"] == settings.PRIVATE_FILES_URL_EXPIRE_SECONDS
    assert asked["parameters"]["ResponseContentType"] == "application/pdf"
    assert asked["parameters"]["ResponseContentDisposition"].startswith("attachment;")


def test_nothing_answers_under_media(client, make_user, staff_client):
    case = ce_certificate(make_user)
    name = case.obj.certificate.name
    with pytest.raises(Resolver404):
        resolve(f"/media/{name}")
    staff_client(roles.SUPERVISOR)
    assert client.get(f"/media/{name}").status_code == 404


# --- What content is accepted -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpg"),
        (HTML_POLYGLOT, None),
        (PDF[:9] + b"<script>alert(1)</script>" + PDF[9:], None),
        (b"%PDF-1.7\n% not really a PDF\n", None),
        (b"junk before " + PDF, None),
        (SVG, None),
        (EXE, None),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, None),
        (b"", None),
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "html-polyglot",
        "script-after-header",
        "pdf-header-only",
        "junk-before-header",
        "svg",
        "exe",
        "png-header-only",
        "empty",
    ],
)
def test_content_decides_the_type(content, kind):
    assert content_kind(ContentFile(content)) == kind


def test_the_polyglot_is_refused_beside_the_field_and_nothing_is_stored(client, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from providers.models import CERecord

    case = ce_certificate(make_user)
    client.force_login(case.owner)
    for name, content, claimed in [
        ("poc.html", HTML_POLYGLOT, "application/pdf"),
        ("poc.pdf", HTML_POLYGLOT, "application/pdf"),
        ("drawing.svg", SVG, "image/svg+xml"),
        ("setup.pdf", EXE, "application/pdf"),
    ]:
        response = client.post(
            reverse("providers:ce"),
            {
                "course_title": "Trauma update",
                "completed_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
                "hours": "2",
                "component": "national",
                "delivery": "live",
                "certificate": SimpleUploadedFile(name, content, content_type=claimed),
            },
        )
        body = response.content.decode()
        assert response.status_code == 200, name
        assert "must be a PDF, PNG or JPEG" in body and "usa-error-message" in body
        assert "Trauma update" in body  # the rest of the form is kept
    assert CERecord.objects.count() == 1


def test_the_admin_links_a_file_through_the_checked_view(client, make_user, staff_client):
    case = ce_certificate(make_user)
    staff_client(roles.LICENSING_REVIEWER)
    page = client.get(f"/admin/providers/cerecord/{case.obj.pk}/change/").content.decode()
    assert (
        f'href="{download_url("ce-certificate", case.obj.pk)}">airway certificate.pdf</a>' in page
    )
    assert 'href="/media/' not in page and case.obj.certificate.name not in page


# --- Files stored before (the data migration) -------------------------------------------------


def test_existing_files_move_to_random_names_keeping_their_own(make_user, settings):
    from django.apps import apps
    from django.core.files.storage import default_storage

    from providers.models import CERecord

    record = ce_certificate(make_user).obj
    old = f"providers/ce/{record.provider_id}/cpr.pdf"
    default_storage.save(old, ContentFile(PDF))
    CERecord.objects.filter(pk=record.pk).update(certificate=old, certificate_name="")

    assert files.rename_stored_files(apps, "providers.CERecord", "certificate") == 1
    record.refresh_from_db()
    assert record.certificate.name.startswith("files/providers/ce-certificates/")
    assert record.certificate.name.endswith(".pdf") and record.certificate_name == "cpr.pdf"
    assert not default_storage.exists(old) and record.certificate.read() == PDF
    # Run again: nothing moves.
    assert files.rename_stored_files(apps, "providers.CERecord", "certificate") == 0
