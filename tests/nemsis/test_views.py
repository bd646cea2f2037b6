"""Pages: the public scope of practice, the DEM upload and report (per-object: another
organization's administrator and the anonymous public get 404), and the admin's checks."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from nemsis.models import DemUpload, DemUploadStatus, ScopeItem, ScopeKind
from organizations.models import Affiliation, AffiliationStatus

pytestmark = pytest.mark.django_db


def test_public_scope_page_shows_each_levels_items_and_the_demo_label(client):
    from nemsis import demo

    demo.seed(stdout=io.StringIO())
    page = client.get("/public/scope-of-practice/").content.decode()
    assert "Demo data." in page
    paramedic = page.split('id="level-paramedic"')[1]
    emr = page.split('id="level-emr"')[1].split('id="level-emt"')[0]
    assert "Orotracheal intubation" in paramedic and "Orotracheal intubation" not in emr
    assert "RxNorm 7806" in emr  # oxygen, every level
    index = client.get("/public/").content.decode()
    assert "/public/scope-of-practice/" in index and "/api/v1/nemsis/state-dataset/" in index


def test_org_admin_uploads_from_the_page_and_sees_the_report_then_confirms(
    client, dem_world, world_file, django_capture_on_commit_callbacks
):
    w = dem_world
    client.force_login(w["admin"])
    dashboard = client.get("/dashboard/").content.decode()
    upload_url = f"/organizations/{w['organization'].pk}/nemsis/dem/"
    assert upload_url in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            upload_url, {"file": SimpleUploadedFile("dem.xml", world_file.xml())}
        )
    upload = DemUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == upload.get_absolute_url()
    report = client.get(upload.get_absolute_url()).content.decode()
    assert "Checked: waiting for your confirmation" in report
    assert "E999999" in report and "No certification E999999 on the state record." in report
    assert "dPersonnel.24" in report
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{upload.get_absolute_url()}confirm/")
    upload.refresh_from_db()
    assert upload.status == DemUploadStatus.CONFIRMED
    assert Affiliation.objects.filter(
        provider=w["newcomer"].provider, status=AffiliationStatus.APPROVED
    ).exists()


def test_a_refused_file_names_line_and_element_on_the_page(
    client, dem_world, django_capture_on_commit_callbacks
):
    client.force_login(dem_world["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organizations/{dem_world['organization'].pk}/nemsis/dem/",
            {"file": SimpleUploadedFile("dem.xml", b"<?xml version='1.0'?>\n<nope/>")},
        )
    page = client.get(DemUpload.objects.get().get_absolute_url()).content.decode()
    assert "The file was refused; nothing changed" in page
    assert "Line 2" in page and "<code>nope</code>" in page


def test_an_oversized_file_is_refused_beside_the_field(client, dem_world, settings):
    settings.NEMSIS_DEM_MAX_BYTES = 10
    client.force_login(dem_world["admin"])
    response = client.post(
        f"/organizations/{dem_world['organization'].pk}/nemsis/dem/",
        {"file": SimpleUploadedFile("dem.xml", b"<DEMDataSet/>" * 10)},
    )
    assert response.status_code == 200
    assert "the limit is 10 bytes" in response.content.decode()
    assert not DemUpload.objects.exists()


def test_another_organizations_admin_and_the_public_get_404(
    client, dem_world, world_file, django_capture_on_commit_callbacks
):
    w = dem_world
    client.force_login(w["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organizations/{w['organization'].pk}/nemsis/dem/",
            {"file": SimpleUploadedFile("dem.xml", world_file.xml())},
        )
    upload = DemUpload.objects.get()
    client.force_login(w["other_admin"])
    assert client.get(upload.get_absolute_url()).status_code == 404
    assert client.post(f"{upload.get_absolute_url()}confirm/").status_code == 404
    assert client.get(f"/organizations/{w['organization'].pk}/nemsis/dem/").status_code == 404
    client.logout()
    assert client.get(upload.get_absolute_url()).status_code == 404
    assert client.post(f"{upload.get_absolute_url()}confirm/").status_code == 404
    upload.refresh_from_db()
    assert upload.status == DemUploadStatus.CHECKED


def test_admin_refuses_an_unknown_code_naming_the_field(staff_client):
    client = staff_client(roles.LICENSING_REVIEWER)
    response = client.post(
        "/admin/nemsis/scopeitem/add/",
        {"kind": ScopeKind.PROCEDURE, "code": "89666001", "name": "CPR typo", "levels": ["emt"]},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["code"] and "check digit" in errors["code"][0]
    response = client.post(
        "/admin/nemsis/scopeitem/add/",
        {"kind": ScopeKind.PROTOCOL, "code": "1234567", "name": "Made up", "levels": ["emt"]},
    )
    assert "not a NEMSIS protocol code" in response.context["adminform"].form.errors["code"][0]
    assert not ScopeItem.objects.exists()
    response = client.post(
        "/admin/nemsis/scopeitem/add/",
        {"kind": ScopeKind.PROCEDURE, "code": "89666000", "name": "CPR", "levels": ["emr", "emt"]},
    )
    assert response.status_code == 302
    item = ScopeItem.objects.get()
    assert item.levels == ["emr", "emt"] and item.history.first().history_user == client.user


def test_admin_refuses_a_malformed_collected_element(staff_client):
    client = staff_client(roles.SUPERVISOR)
    response = client.post("/admin/nemsis/collectedelement/add/", {"number": "agency one"})
    assert "number" in response.context["adminform"].form.errors


def test_staff_generate_the_state_dataset_from_the_scope_admin(
    staff_client, django_capture_on_commit_callbacks
):
    from documents.models import DocumentJob, JobStatus

    client = staff_client(roles.LICENSING_REVIEWER)
    changelist = client.get("/admin/nemsis/scopeitem/").content.decode()
    assert "Generate the NEMSIS State Dataset" in changelist
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/documents/nemsis-state-dataset/request/")
    job = DocumentJob.objects.get(kind="nemsis-state-dataset")
    assert response.status_code == 302 and job.status == JobStatus.DONE


def test_staff_open_a_dem_upload_in_the_admin_without_its_file(
    staff_client, dem_world, world_file, django_capture_on_commit_callbacks
):
    from nemsis import services

    with django_capture_on_commit_callbacks(execute=True):
        upload = services.dem_upload_create(
            organization=dem_world["organization"],
            actor=dem_world["admin"],
            uploaded_file=SimpleUploadedFile("dem.xml", world_file.xml()),
        )
    client = staff_client(roles.SUPERVISOR)
    page = client.get(f"/admin/nemsis/demupload/{upload.pk}/change/")
    assert page.status_code == 200
    assert upload.file.name not in page.content.decode()  # the private file is never linked
    assert client.get("/admin/nemsis/demupload/").status_code == 200
    # Staff see any organization's report.
    assert client.get(upload.get_absolute_url()).status_code == 200
