"""The one home of the NEMSIS rules the portal checks itself: what a well-formed SNOMED CT,
RxNorm, protocol or element code is. Protocol codes come from the standard's own code list
(``ProtocolsUsed`` in the schemas); SNOMED CT and RxNorm are external terminologies the schemas
only bound, so a code must have their shape (and, for SNOMED CT, its Verhoeff check digit and a
concept's partition), which catches typos and codes of the wrong system."""

import re

from .schemas import code_list

# The Verhoeff scheme SNOMED CT identifiers end with. _VERHOEFF_D is the multiplication table
# of the dihedral group D5 (0-4 the rotations, 5-9 the reflections); _VERHOEFF_P[i] is the
# permutation (0 1 5 8 9 4 2 7)(3 6) applied i times, the one the scheme fixes.


def _d5(j: int, k: int) -> int:
    if j < 5:
        return (j + k) % 5 + (0 if k < 5 else 5)
    return (j - k) % 5 + (5 if k < 5 else 0)


_VERHOEFF_D = [[_d5(j, k) for k in range(10)] for j in range(10)]
_VERHOEFF_P = [list(range(10))]
for _ in range(7):
    _VERHOEFF_P.append([[1, 5, 7, 6, 2, 8, 3, 0, 9, 4][n] for n in _VERHOEFF_P[-1]])


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
