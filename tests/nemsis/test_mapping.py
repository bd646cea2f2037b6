"""The mapping tables and code checks: every code the portal writes is in the standard's code
list, and each of the portal's levels, facility types and designations maps where it should."""

import filecmp
from pathlib import Path

import pytest
from django.conf import settings

from information.models import StrokeLevel, TraumaLevel
from nemsis import mapping, rules
from nemsis.schemas import code_list
from organizations.models import County
from providers.rules import Level


def test_every_level_maps_to_the_standards_level_codes():
    assert set(mapping.LEVEL_CODES) == set(Level.values)
    levels = code_list("StateCertificationLicensureLevels")
    assert {code: levels[code] for code in mapping.LEVEL_CODES.values()} == {
        "9917003": "Emergency Medical Responder (EMR)",
        "9917005": "Emergency Medical Technician (EMT)",
        "9917001": "Advanced Emergency Medical Technician (AEMT)",
        "9917007": "Paramedic",
    }
    members = code_list("MemberLevel")
    for level, code in mapping.MEMBER_LEVEL_CODES.items():
        assert members[code].lower().startswith(levels[mapping.LEVEL_CODES[level]].lower()[:20])
        assert mapping.level_of_member_code(code) == level
    assert mapping.level_of_member_code("9925027") is None  # Physician: not a state level


def test_facility_type_and_designations_come_from_the_code_lists():
    assert code_list("TypeOfFacility")[mapping.FACILITY_TYPE_HOSPITAL] == "Hospital"
    designations = code_list("HospitalDesignation")
    assert set(mapping.STROKE_DESIGNATIONS) == set(StrokeLevel.values)
    assert set(mapping.TRAUMA_DESIGNATIONS) == set(TraumaLevel.values)
    assert designations[mapping.STROKE_DESIGNATIONS[StrokeLevel.COMPREHENSIVE]].endswith("(CSC)")
    assert designations[mapping.STROKE_DESIGNATIONS[StrokeLevel.PRIMARY]].endswith("(PSC)")
    assert designations[mapping.STROKE_DESIGNATIONS[StrokeLevel.ACUTE_READY]].endswith("(ASRH)")
    assert designations[mapping.TRAUMA_DESIGNATIONS[TraumaLevel.LEVEL_III][0]] == (
        "Trauma Center Level 3"
    )
    assert mapping.designation_codes(
        stroke_levels=[StrokeLevel.PRIMARY], trauma_levels=[TraumaLevel.PEDIATRIC_II]
    ) == ["9908011", "9908023", "9908039"]


def test_not_values_and_code_types_are_the_standards():
    assert code_list("NV.NotApplicable") == {mapping.NOT_APPLICABLE: "Not Applicable"}
    assert code_list("NV.NotRecorded") == {mapping.NOT_RECORDED: "Not Recorded"}
    assert code_list("CodeType.RxNorm") == {mapping.CODE_TYPE_RXNORM: "RxNorm"}


def test_every_county_has_its_ansi_code():
    assert set(mapping.COUNTY_CODES) == set(County.values)
    assert all(code.startswith("09") and len(code) == 5 for code in mapping.COUNTY_CODES.values())


@pytest.mark.parametrize(
    "check, code, ok",
    [
        (rules.snomed_problem, "89666000", True),  # CPR
        (rules.snomed_problem, "89666001", False),  # check digit wrong
        (rules.snomed_problem, "12345", False),  # too short
        (rules.snomed_problem, "CPR", False),
        (rules.rxnorm_problem, "7806", True),
        (rules.rxnorm_problem, "RX7806", False),
        (rules.protocol_problem, "9914075", True),
        (rules.protocol_problem, "9914076", False),  # not in ProtocolsUsed
        (rules.element_problem, "dPersonnel.23", True),
        (rules.element_problem, "personnel 23", False),
    ],
)
def test_code_checks(check, code, ok):
    assert (check(code) is None) is ok


def test_the_shipped_schemas_are_the_official_files_unchanged():
    shipped = Path(settings.BASE_DIR) / "nemsis" / "schemas" / "3.5.1"
    shared = Path(settings.BASE_DIR).parent / "shared" / "nemsis" / "3.5.1"
    names = sorted(path.name for path in shipped.glob("*.xsd"))
    assert "StateDataSet_v3.xsd" in names and "DEMDataSet_v3.xsd" in names
    if shared.is_dir():  # the project's machines and CI: the copy must match byte for byte
        match, mismatch, errors = filecmp.cmpfiles(shared, shipped, names, shallow=False)
        assert mismatch == [] and errors == [] and sorted(match) == names
