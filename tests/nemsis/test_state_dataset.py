"""The State Dataset: valid against the official XSD, each section present and filled from the
portal's records, Not Values where there is nothing; as a document kind and through the API."""

import io

import pytest
from lxml import etree

from documents.models import JobStatus
from documents.services import document_request
from nemsis import mapping, schemas
from nemsis.documents import STATE_DATASET_KIND
from nemsis.models import CollectedElement, ScopeItem
from nemsis.state_dataset import build_state_dataset, validation_problems

pytestmark = pytest.mark.django_db

N = {"n": mapping.NAMESPACE}
XSI_NIL = f"{{{mapping.XSI_NAMESPACE}}}nil"


def _parse(content: bytes):
    return etree.parse(io.BytesIO(content))


def _texts(tree, path):
    return [element.text for element in tree.xpath(path, namespaces=N)]


def test_demo_state_dataset_validates_against_the_official_schema_with_every_section(state_data):
    content = build_state_dataset().content
    tree = _parse(content)
    schema = schemas.schema(schemas.STATE_DATASET)
    assert schema.validate(tree), schema.error_log
    root = tree.getroot()
    assert [etree.QName(child).localname for child in root] == [
        "sState", "sSoftware", "sElement", "sConfiguration", "sAgency", "sFacility",
    ]  # fmt: skip
    assert _texts(tree, "//n:sState.01") == ["09"]
    assert _texts(tree, "//n:sSoftware.02") == ["OEMS Portal"]
    assert "dPersonnel.23" in _texts(tree, "//n:sElement.01")


def test_agencies_are_the_licensed_organizations_with_number_and_name(state_data):
    tree = _parse(build_state_dataset().content)
    assert _texts(tree, "//n:sAgencyGroup/n:sAgency.02") == ["AMB-0101", "EFR-0202"]
    assert _texts(tree, "//n:sAgencyGroup/n:sAgency.01") == ["AMB-0101", "EFR-0202"]
    assert _texts(tree, "//n:sAgencyGroup/n:sAgency.03") == ["Alpha Ambulance", "Beta Fire Rescue"]
    assert "AMB-0303" not in _texts(tree, "//n:sAgency.02")  # revoked: not licensed


def test_facilities_carry_type_code_designations_address_county_and_phone(state_data):
    capitol, children, plain = state_data["hospitals"]
    tree = _parse(build_state_dataset().content)
    assert _texts(tree, "//n:sFacility.01") == [mapping.FACILITY_TYPE_HOSPITAL]
    groups = {
        group.findtext("n:sFacility.02", namespaces=N): group
        for group in tree.xpath("//n:sFacility.FacilityGroup", namespaces=N)
    }
    capitol_group = groups["Capitol Medical"]
    assert capitol_group.findtext("n:sFacility.03", namespaces=N) == f"CT-H{capitol.pk:04d}"
    assert sorted(_texts(capitol_group, "n:sFacility.04")) == ["9908021", "9908043"]
    assert capitol_group.findtext("n:sFacility.07", namespaces=N) == "80 Seymour Street"
    assert capitol_group.findtext("n:sFacility.10", namespaces=N) == "06102"
    assert capitol_group.findtext("n:sFacility.11", namespaces=N) == "09003"  # Hartford County
    assert capitol_group.findtext("n:sFacility.15", namespaces=N) == "860-545-5000"
    # A pediatric level I trauma center: trauma level 1 and a pediatric center.
    assert sorted(_texts(groups["Children's Medical"], "n:sFacility.04")) == ["9908011", "9908021"]
    assert groups["Children's Medical"].findtext("n:sFacility.11", namespaces=N) == "09009"
    # No designation, no known town, no ZIP: the standard's Not Values, nil.
    plain_group = groups["Plain Community Hospital"]
    for name, not_value in (
        ("sFacility.04", mapping.NOT_APPLICABLE),
        ("sFacility.10", mapping.NOT_RECORDED),
        ("sFacility.11", mapping.NOT_RECORDED),
    ):
        element = plain_group.find(f"n:{name}", namespaces=N)
        assert element.get(XSI_NIL) == "true" and element.get("NV") == not_value, name


def test_configuration_lists_levels_and_each_levels_scope(state_data):
    tree = _parse(build_state_dataset().content)
    assert _texts(tree, "//n:sConfiguration.01") == ["9917003", "9917005", "9917001", "9917007"]
    procedure_groups = {
        group.findtext("n:sConfiguration.02", namespaces=N): _texts(group, "n:sConfiguration.03")
        for group in tree.xpath("//n:sConfiguration.ProcedureGroup", namespaces=N)
    }
    assert "232674004" in procedure_groups["9917007"]  # intubation: paramedic
    assert "232674004" not in procedure_groups["9917005"]  # not EMT
    medication = tree.xpath("//n:sConfiguration.05", namespaces=N)[0]
    assert medication.get("CodeType") == mapping.CODE_TYPE_RXNORM
    assert "9914007" in _texts(tree, "//n:sConfiguration.06")


def test_an_empty_scope_and_element_list_still_validate_with_not_values(db):
    ScopeItem.objects.all().delete()
    CollectedElement.objects.all().delete()
    content = build_state_dataset().content
    assert validation_problems(content) == []
    tree = _parse(content)
    for name in ("sElement.01", "sConfiguration.03", "sConfiguration.05", "sConfiguration.06"):
        element = tree.xpath(f"//n:{name}", namespaces=N)[0]
        assert element.get(XSI_NIL) == "true" and element.get("NV") == mapping.NOT_APPLICABLE


def test_the_state_dataset_is_a_document_kind_reused_until_the_data_changes(
    state_data, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    with django_capture_on_commit_callbacks(execute=True):
        job, outcome = document_request(kind=STATE_DATASET_KIND, params={}, user=AnonymousUser())
    job.refresh_from_db()
    assert outcome == "queued" and job.status == JobStatus.DONE
    assert job.file.name.endswith(".xml") and job.filename.endswith(".xml")
    with job.file.open("rb") as stored:
        assert validation_problems(stored.read()) == []
    again, outcome = document_request(kind=STATE_DATASET_KIND, params={}, user=AnonymousUser())
    assert outcome == "reused" and again.pk == job.pk
    state_data["active"][0].legal_name = "Alpha Ambulance Renamed"
    state_data["active"][0].save()
    changed, outcome = document_request(kind=STATE_DATASET_KIND, params={}, user=AnonymousUser())
    assert outcome == "queued" and changed.pk != job.pk


def test_api_answers_the_xml_to_anyone(client, state_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get("/api/v1/nemsis/state-dataset/")
    assert first.status_code == 202  # queued: the on-commit render runs after this answer
    response = client.get("/api/v1/nemsis/state-dataset/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert validation_problems(response.content) == []
    assert b"Alpha Ambulance" in response.content


def test_api_answers_202_with_progress_while_the_file_is_prepared(client, state_data, monkeypatch):
    from nemsis import api

    def queued_only(**kwargs):
        from documents.models import DocumentJob

        job = DocumentJob.objects.create(
            kind=STATE_DATASET_KIND, title="x", params={}, params_key="k", fingerprint="f",
            progress=40, progress_message="Writing the licensed agencies.",
        )  # fmt: skip
        return job, "queued"

    monkeypatch.setattr(api, "document_request", queued_only)
    response = client.get("/api/v1/nemsis/state-dataset/")
    assert response.status_code == 202
    assert response.json()["progress"] == 40 and response["Retry-After"] == "5"


def test_document_download_serves_xml(client, state_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/{STATE_DATASET_KIND}/request/")
    from documents.models import DocumentJob

    job = DocumentJob.objects.get(kind=STATE_DATASET_KIND)
    response = client.get(job.download_url)  # the checked download (core.files)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert validation_problems(b"".join(response.streaming_content)) == []
