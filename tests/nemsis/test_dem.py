"""DEM files: the report (row by row), confirmation through the roster and vehicle services,
refusals (nothing changed), private storage, and who may see what."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from nemsis import services
from nemsis.models import DemUpload, DemUploadStatus
from nemsis.sample_dem import DemFile, DemPerson
from organizations.models import Affiliation, AffiliationStatus
from vehicles.models import VehicleStatus

pytestmark = pytest.mark.django_db


def send(world, content: bytes, *, actor=None, capture=None, name="dem.xml") -> DemUpload:
    actor = actor or world["admin"]
    uploaded = SimpleUploadedFile(name, content, content_type="application/xml")
    with capture(execute=True):
        upload = services.dem_upload_create(
            organization=world["organization"], actor=actor, uploaded_file=uploaded
        )
    upload.refresh_from_db()
    return upload


def rows_by_key(upload, section):
    return {row["key"] or row["name"]: row for row in upload.report if row["section"] == section}


def roster(organization):
    return set(
        Affiliation.objects.filter(
            organization=organization, status=AffiliationStatus.APPROVED
        ).values_list("provider__last_name", flat=True)
    )


def test_report_lists_matching_mismatched_unknown_and_missing_people_and_vehicles(
    dem_world, world_file, django_capture_on_commit_callbacks
):
    w = dem_world
    upload = send(w, world_file.xml(), capture=django_capture_on_commit_callbacks)
    assert upload.status == DemUploadStatus.CHECKED, upload.error
    people = rows_by_key(upload, "personnel")
    assert people[w["newcomer"].number]["outcome"] == "match"
    assert people[w["newcomer"].number]["action"] == "add"
    assert people[w["regular"].number]["outcome"] == "match"
    assert people[w["regular"].number]["action"] == ""
    level_row = people[w["wrong_level"].number]
    assert level_row["outcome"] == "mismatch" and level_row["element"] == "dPersonnel.24"
    assert "Paramedic" in level_row["reason"]
    assert people[w["expired"].number]["outcome"] == "mismatch"
    assert "expired" in people[w["expired"].number]["reason"].lower()
    assert people["E999999"]["outcome"] == "unknown"
    assert people["E999999"]["element"] == "dPersonnel.23"
    assert people["Leo Left"]["outcome"] == "missing" and people["Leo Left"]["action"] == "end"
    assert all(row["line"] for row in upload.report if row["outcome"] != "missing")
    vehicles = rows_by_key(upload, "vehicles")
    assert vehicles[w["kept"].vin]["outcome"] == "match"
    assert vehicles[w["unknown_vin"]]["outcome"] == "unknown"
    assert vehicles[w["elsewhere"].vin]["outcome"] == "mismatch"
    assert vehicles[w["dropped"].vin]["outcome"] == "missing"
    assert upload.summary == {"match": 4, "mismatch": 3, "unknown": 2, "missing": 2}
    # Checking changes nothing: the roster is as it was until the administrator confirms.
    assert roster(w["organization"]) == {"Regular", "Left"}


def test_confirming_updates_the_roster_through_the_services_with_history(
    dem_world, world_file, django_capture_on_commit_callbacks
):
    w = dem_world
    upload = send(w, world_file.xml(), capture=django_capture_on_commit_callbacks)
    upload = services.dem_upload_confirm(upload=upload, actor=w["admin"])
    assert upload.status == DemUploadStatus.CONFIRMED
    assert roster(w["organization"]) == {"New", "Regular"}
    added = Affiliation.objects.get(provider=w["newcomer"].provider)
    assert added.history.first().history_user == w["admin"]
    ended = Affiliation.objects.get(provider=w["leaver"].provider)
    assert ended.status == AffiliationStatus.ENDED
    assert "DEM file" in ended.history.first().history_change_reason
    # An organization does not retire vehicles: that stays with OEMS, and the report says so.
    w["dropped"].refresh_from_db()
    assert w["dropped"].status == VehicleStatus.IN_SERVICE
    assert {"what": "vehicle", "name": str(w["dropped"]), "change": "left for OEMS to retire"} in (
        upload.changes
    )
    # A second confirmation (a double click) changes nothing more.
    history_rows = Affiliation.history.count()
    services.dem_upload_confirm(upload=upload, actor=w["admin"])
    assert Affiliation.history.count() == history_rows


def test_staff_confirming_for_the_organization_also_retires_the_vehicles_left_out(
    dem_world, world_file, staff_client, django_capture_on_commit_callbacks
):
    from accounts import roles

    w = dem_world
    supervisor = staff_client(roles.SUPERVISOR).user
    upload = send(w, world_file.xml(), actor=supervisor, capture=django_capture_on_commit_callbacks)
    services.dem_upload_confirm(upload=upload, actor=supervisor)
    w["dropped"].refresh_from_db()
    w["kept"].refresh_from_db()
    assert w["dropped"].status == VehicleStatus.RETIRED
    assert w["kept"].status == VehicleStatus.IN_SERVICE
    assert roster(w["organization"]) == {"New", "Regular"}


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE DEMDataSet [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<DEMDataSet xmlns="http://www.nemsis.org">&lol4;</DEMDataSet>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE DEMDataSet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<DEMDataSet xmlns="http://www.nemsis.org"><DemographicReport>&secret;</DemographicReport></DEMDataSet>
"""


def _invalid_level_file(world_file):
    content = world_file.xml().replace(
        b"<dAgency.09>9920001</dAgency.09>", b"<dAgency.09>42</dAgency.09>"
    )
    return content


@pytest.mark.parametrize(
    "make_content, element, line, words",
    [
        (lambda f: b"this is not XML at all", "", 1, "not well-formed XML"),
        (lambda f: b"<?xml version='1.0'?><DEMDataSet xmlns='http://www.nemsis.org'><dAgency>", "", None, "not well-formed XML"),
        (lambda f: b'<?xml version="1.0"?>\n<invoice xmlns="urn:example"/>', "invoice", 2, "not a NEMSIS v3 file"),
        (lambda f: b'<?xml version="1.0"?>\n<StateDataSet xmlns="http://www.nemsis.org"/>', "StateDataSet", 2, "not a Demographic"),
        (lambda f: DemFile("AMB-0101", schema_location="https://nemsis.org/media/nemsis_v3/3.4.0/DEMDataSet_v3.xsd").xml(), "DEMDataSet", 2, "version 3.4.0"),
        (lambda f: b'<?xml version="1.0"?>\n<DEMDataSet xmlns="http://www.nemsis.org">\n<D01_01>x</D01_01></DEMDataSet>', "D01_01", 3, "version 2"),
        (_invalid_level_file, "dAgency.09", 10, "not valid NEMSIS v3.5.1"),
        (lambda f: BILLION_LAUGHS, "DOCTYPE", 1, "DOCTYPE"),
        (lambda f: EXTERNAL_ENTITY, "DOCTYPE", 1, "DOCTYPE"),
        (lambda f: DemFile("AMB-0202").xml(), "dAgency.02", 6, "another organization"),
        (lambda f: DemFile("AMB-7777").xml(), "dAgency.02", 6, "is not Alpha Ambulance"),
    ],
    ids=[
        "not-xml", "truncated", "not-nemsis", "other-dataset", "wrong-version", "nemsis-2",
        "schema-invalid", "entity-expansion", "external-entity", "other-agency", "unknown-agency",
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_line_and_element_and_nothing_changes(
    dem_world, world_file, django_capture_on_commit_callbacks, make_content, element, line, words
):
    w = dem_world
    before = (Affiliation.history.count(), roster(w["organization"]))
    upload = send(w, make_content(world_file), capture=django_capture_on_commit_callbacks)
    assert upload.status == DemUploadStatus.REFUSED
    assert words in upload.error
    assert upload.error_element == element
    if line is not None:
        assert upload.error_line == line
    assert upload.report == []
    assert (Affiliation.history.count(), roster(w["organization"])) == before
    with pytest.raises(DomainError):
        services.dem_upload_confirm(upload=upload, actor=w["admin"])
    assert "root:" not in upload.error  # no /etc/passwd content ever reaches the report


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(
    dem_world, world_file, settings, django_capture_on_commit_callbacks
):
    settings.NEMSIS_DEM_MAX_BYTES = 1000
    with pytest.raises(DomainError) as refused:
        send(dem_world, world_file.xml(), capture=django_capture_on_commit_callbacks)
    assert refused.value.field == "file" and "limit is 1,000 bytes" in refused.value.message
    assert not DemUpload.objects.exists()


def test_the_file_is_stored_privately_under_a_random_name(
    dem_world, world_file, settings, django_capture_on_commit_callbacks
):
    upload = send(
        dem_world, world_file.xml(), capture=django_capture_on_commit_callbacks,
        name="../../alpha roster.xml",
    )  # fmt: skip
    path = Path(upload.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "private" / "nemsis" / "dem")
    assert "alpha" not in path.name and len(path.stem) == 36  # a UUID
    with pytest.raises(ValueError):
        upload.file.url  # noqa: B018 - private files have no URL


def test_a_second_run_of_the_check_does_nothing(
    dem_world, world_file, django_capture_on_commit_callbacks
):
    from nemsis.tasks import check_dem_upload

    upload = send(dem_world, world_file.xml(), capture=django_capture_on_commit_callbacks)
    rows = Affiliation.history.count()
    assert check_dem_upload.delay(str(upload.pk)).get().startswith("skipped")
    assert Affiliation.history.count() == rows


def test_someone_who_does_not_administer_the_organization_cannot_send(dem_world, world_file):
    uploaded = SimpleUploadedFile("dem.xml", world_file.xml())
    with pytest.raises(DomainError):
        services.dem_upload_create(
            organization=dem_world["organization"], actor=dem_world["other_admin"],
            uploaded_file=uploaded,
        )  # fmt: skip


def test_personnel_with_a_licence_from_another_state_only_are_unknown(
    dem_world, django_capture_on_commit_callbacks
):
    file = DemFile("AMB-0101", people=[DemPerson("Out", "Ofstate", "NY12345", state="36")])
    upload = send(dem_world, file.xml(), capture=django_capture_on_commit_callbacks)
    row = next(
        row
        for row in upload.report
        if row["section"] == "personnel" and row["outcome"] == "unknown"
    )
    assert "No licence number for this state" in row["reason"]


def test_the_demo_sample_file_of_an_organization_validates_and_matches_its_roster(
    dem_world, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("nemsis_sample_dem", "amb-0101", stdout=out)
    upload = send(dem_world, out.getvalue().encode(), capture=django_capture_on_commit_callbacks)
    assert upload.status == DemUploadStatus.CHECKED, upload.error
    people = rows_by_key(upload, "personnel")
    assert people[dem_world["regular"].number]["outcome"] == "match"
    assert people["E999999"]["outcome"] == "unknown"
    assert rows_by_key(upload, "vehicles")[dem_world["kept"].vin]["outcome"] == "match"


def test_the_same_file_sent_twice_is_one_upload_until_it_is_confirmed(
    dem_world, world_file, django_capture_on_commit_callbacks
):
    content = world_file.xml()
    first = send(dem_world, content, capture=django_capture_on_commit_callbacks)
    again = send(dem_world, content, capture=django_capture_on_commit_callbacks)
    assert again.pk == first.pk and DemUpload.objects.count() == 1
    services.dem_upload_confirm(upload=first, actor=dem_world["admin"])
    later = send(dem_world, content, capture=django_capture_on_commit_callbacks)
    assert later.pk != first.pk and later.status == DemUploadStatus.CHECKED
