"""The one home of the NEMSIS rules the portal checks itself: what a well-formed SNOMED CT,
RxNorm, protocol or element code is. Protocol codes come from the standard's own code list
(``ProtocolsUsed`` in the schemas); SNOMED CT and RxNorm are external terminologies the schemas
only bound, so a code must have their shape (and, for SNOMED CT, its Verhoeff check digit and a
concept's partition), which catches typos and codes of the wrong system."""

import re

from .schemas import code_list

# The Verhoeff scheme SNOMED CT identifiers end with (dihedral group D5).
_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(digits: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    return check == 0


# SNOMED CT: 6 to 18 digits (the schema's "snomed" type: 100000 .. 999999999999999999); the
# two digits before the check digit are the partition, "00" (short) or "10" (long) for a concept.
SNOMED_PATTERN = re.compile(r"^[1-9]\d{5,17}$")
CONCEPT_PARTITIONS = {"00", "10"}
# RxNorm concept unique identifiers are numbers; the schema's Medication type allows 2-9 chars.
RXNORM_PATTERN = re.compile(r"^[1-9]\d{1,8}$")
# A NEMSIS element number, e.g. dAgency.01 or eVitals.10 (sElement.01 lists them).
ELEMENT_PATTERN = re.compile(r"^[de][A-Z][A-Za-z]+\.\d{2}$")


def snomed_problem(code: str) -> str | None:
    code = (code or "").strip()
    if not SNOMED_PATTERN.match(code):
        return "A SNOMED CT code is a number of 6 to 18 digits."
    if not verhoeff_valid(code):
        return f"{code} is not a SNOMED CT code: its check digit does not match."
    if code[-3:-1] not in CONCEPT_PARTITIONS:
        return f"{code} is a SNOMED CT identifier but not a concept (a procedure is a concept)."
    return None


def rxnorm_problem(code: str) -> str | None:
    code = (code or "").strip()
    if not RXNORM_PATTERN.match(code):
        return "An RxNorm code (RXCUI) is a number of 2 to 9 digits."
    return None


def protocol_problem(code: str) -> str | None:
    code = (code or "").strip()
    if code not in code_list("ProtocolsUsed"):
        return f"{code or 'This'} is not a NEMSIS protocol code (the ProtocolsUsed code list)."
    return None


def element_problem(number: str) -> str | None:
    if not ELEMENT_PATTERN.match((number or "").strip()):
        return "A NEMSIS element number looks like dAgency.01 or eVitals.10."
    return None
