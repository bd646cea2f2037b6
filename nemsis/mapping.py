"""The one home of the mapping between the portal's values and NEMSIS v3.5.1 codes.

Every code here comes from a code list (an ``xs:enumeration``) of the official schemas;
``tests/nemsis/test_mapping.py`` checks each one against the schema files, so a typo or a code
that does not exist fails the suite rather than a vendor's import.
"""

from information.models import StrokeLevel, TraumaLevel
from organizations.models import County
from providers.rules import Level

NAMESPACE = "http://www.nemsis.org"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"

# Not Values (commonTypes: NV.NotApplicable, NV.NotRecorded, NV.NotReporting): what an element
# carries, with xsi:nil="true", when it has no value.
NOT_APPLICABLE = "7701001"
NOT_RECORDED = "7701003"
NOT_REPORTING = "7701005"

# Certification levels: the state's level -> StateCertificationLicensureLevels (sConfiguration.01,
# .02, .04; dConfiguration; dAgency.11) and MemberLevel (dPersonnel.24, .38).
LEVEL_CODES = {
    Level.EMR: "9917003",  # Emergency Medical Responder (EMR)
    Level.EMT: "9917005",  # Emergency Medical Technician (EMT)
    Level.AEMT: "9917001",  # Advanced Emergency Medical Technician (AEMT)
    Level.PARAMEDIC: "9917007",  # Paramedic
}
MEMBER_LEVEL_CODES = {
    Level.EMR: "9925003",
    Level.EMT: "9925005",
    Level.AEMT: "9925001",
    Level.PARAMEDIC: "9925007",
}
LEVEL_OF_MEMBER_CODE = {code: level for level, code in MEMBER_LEVEL_CODES.items()}

# Medication code systems (sConfiguration.05 CodeType: CodeType.RxNorm, CodeType.SNOMED).
CODE_TYPE_RXNORM = "9924003"

# Facilities: every hospital in the portal's directory is a Hospital (TypeOfFacility).
FACILITY_TYPE_HOSPITAL = "1701005"

# Designations (HospitalDesignation, sFacility.04), from the stroke and trauma directories.
STROKE_DESIGNATIONS = {
    StrokeLevel.COMPREHENSIVE: "9908043",  # Stroke-Comprehensive Stroke Center (CSC)
    StrokeLevel.PRIMARY: "9908039",  # Stroke-Primary Stroke Center (PSC)
    StrokeLevel.ACUTE_READY: "9908037",  # Stroke-Acute Stroke Ready Hospital (ASRH)
}
# A pediatric trauma designation is both a trauma level and a pediatric center.
TRAUMA_DESIGNATIONS = {
    TraumaLevel.LEVEL_I: ("9908021",),  # Trauma Center Level 1
    TraumaLevel.LEVEL_II: ("9908023",),  # Trauma Center Level 2
    TraumaLevel.LEVEL_III: ("9908025",),  # Trauma Center Level 3
    TraumaLevel.LEVEL_IV: ("9908027",),  # Trauma Center Level 4
    TraumaLevel.PEDIATRIC_I: ("9908021", "9908011"),  # Level 1 + Pediatric Center
    TraumaLevel.PEDIATRIC_II: ("9908023", "9908011"),  # Level 2 + Pediatric Center
}

# Counties: the portal's county -> ANSI (FIPS) county code, state 09 (Connecticut).
COUNTY_CODES = {
    County.FAIRFIELD: "09001",
    County.HARTFORD: "09003",
    County.LITCHFIELD: "09005",
    County.MIDDLESEX: "09007",
    County.NEW_HAVEN: "09009",
    County.NEW_LONDON: "09011",
    County.TOLLAND: "09013",
    County.WINDHAM: "09015",
}


def level_code(level: str) -> str:
    return LEVEL_CODES[level]


def designation_codes(*, stroke_levels=(), trauma_levels=()) -> list[str]:
    """A hospital's sFacility.04 codes, each once, in a stable order."""
    codes = [STROKE_DESIGNATIONS[level] for level in stroke_levels]
    for level in trauma_levels:
        codes.extend(TRAUMA_DESIGNATIONS[level])
    return sorted(set(codes))


def level_of_member_code(code: str) -> str | None:
    """The portal's level for a dPersonnel MemberLevel code, or None (e.g. Physician)."""
    return LEVEL_OF_MEMBER_CODE.get((code or "").strip())
