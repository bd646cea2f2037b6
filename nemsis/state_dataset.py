"""Build the state's NEMSIS v3.5.1 ``StateDataSet`` XML and check it against the official schema.

Written with lxml's incremental writer, section by section, so memory stays flat whatever the
number of agencies; every element and code comes from ``mapping`` (the one mapping module) and
the data from ``selectors``. An element with no value carries the standard's Not Value with
``xsi:nil="true"`` where the schema requires the element.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from lxml import etree

from core.errors import DomainError
from providers.rules import Level

from . import mapping, schemas, selectors
from .models import ScopeKind

N = f"{{{mapping.NAMESPACE}}}"
NIL = f"{{{mapping.XSI_NAMESPACE}}}nil"
ProgressCallback = Callable[[int, str], None]

ZIP_PATTERN = re.compile(r"\b(\d{5}(?:-\d{4})?)\s*$")


@dataclass(frozen=True)
class RenderedXml:
    content: bytes
    page_count: int | None = None


def _timestamp() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


def _element(xf, name: str, value: str | None, *, not_value: str = mapping.NOT_APPLICABLE, **attrs):
    """``<name>value</name>``, or ``<name xsi:nil="true" NV="..."/>`` when there is no value."""
    if value:
        xf.write(_leaf(name, value, **attrs))
    else:
        xf.write(_leaf(name, None, **{NIL: "true", "NV": not_value}))


def _leaf(name: str, value: str | None, **attrs) -> etree._Element:
    element = etree.Element(N + name, {key: val for key, val in attrs.items() if val})
    if value is not None:
        element.text = value
    return element


def phone_number(raw: str) -> str | None:
    """A US number as the standard writes it (860-545-5000), or None."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01" or digits[3] in "01":
        return None
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def street_and_zip(address: str) -> tuple[str, str | None]:
    """The street part of "80 Seymour Street, Hartford, CT 06102" and its ZIP code."""
    match = ZIP_PATTERN.search(address or "")
    street = (address or "").split(",")[0].strip()
    return street, match.group(1) if match else None


def write_state_dataset(out, *, on_progress: ProgressCallback | None = None) -> None:
    def progress(percent: int, message: str) -> None:
        if on_progress:
            on_progress(percent, message)

    nsmap = {None: mapping.NAMESPACE, "xsi": mapping.XSI_NAMESPACE}
    now = _timestamp()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(N + "StateDataSet", {"timestamp": now, "effectiveDate": now}, nsmap=nsmap):
            with xf.element(N + "sState"):
                xf.write(_leaf("sState.01", settings.NEMSIS_STATE_CODE))
            with xf.element(N + "sSoftware"), xf.element(N + "sSoftware.SoftwareGroup"):
                _element(xf, "sSoftware.01", settings.NEMSIS_SOFTWARE_CREATOR)
                _element(xf, "sSoftware.02", settings.NEMSIS_SOFTWARE_NAME)
                _element(xf, "sSoftware.03", settings.NEMSIS_SOFTWARE_VERSION)
            progress(10, "Writing the collected elements and the scope of practice.")
            with xf.element(N + "sElement"):
                elements = selectors.collected_elements()
                for number in elements or [None]:
                    _element(xf, "sElement.01", number)
            _write_configuration(xf)
            progress(30, "Writing the licensed agencies.")
            with xf.element(N + "sAgency"):
                for organization in selectors.licensed_organizations().iterator(chunk_size=500):
                    with xf.element(N + "sAgencyGroup"):
                        number = organization.number[:15]
                        xf.write(_leaf("sAgency.01", organization.number[:50]))
                        xf.write(_leaf("sAgency.02", number))
                        xf.write(_leaf("sAgency.03", organization.legal_name[:100]))
            progress(60, "Writing the facilities.")
            _write_facilities(xf)
    progress(90, "Written.")


def _write_configuration(xf) -> None:
    by_level = {scope.level: scope for scope in selectors.scope_by_level()}
    with xf.element(N + "sConfiguration"):
        for level in Level.values:
            xf.write(_leaf("sConfiguration.01", mapping.level_code(level)))
        for level in Level.values:
            with xf.element(N + "sConfiguration.ProcedureGroup"):
                xf.write(_leaf("sConfiguration.02", mapping.level_code(level)))
                for item in by_level[level].procedures or [None]:
                    _element(xf, "sConfiguration.03", item.code if item else None)
        for level in Level.values:
            with xf.element(N + "sConfiguration.MedicationGroup"):
                xf.write(_leaf("sConfiguration.04", mapping.level_code(level)))
                medications = by_level[level].medications
                for item in medications:
                    xf.write(
                        _leaf("sConfiguration.05", item.code, CodeType=mapping.CODE_TYPE_RXNORM)
                    )
                if not medications:
                    _element(xf, "sConfiguration.05", None)
        protocols = list(selectors.scope_items(kind=ScopeKind.PROTOCOL).order_by("code"))
        for item in protocols or [None]:
            _element(xf, "sConfiguration.06", item.code if item else None)


def _write_facilities(xf) -> None:
    with xf.element(N + "sFacility"):
        facilities = selectors.facilities()
        if not facilities:
            return
        with xf.element(N + "sFacilityGroup"):
            xf.write(_leaf("sFacility.01", mapping.FACILITY_TYPE_HOSPITAL))
            for facility in facilities:
                hospital = facility.hospital
                street, zip_code = street_and_zip(hospital.address)
                with xf.element(N + "sFacility.FacilityGroup"):
                    xf.write(_leaf("sFacility.02", hospital.name[:100]))
                    xf.write(_leaf("sFacility.03", facility_code(hospital)))
                    designations = mapping.designation_codes(
                        stroke_levels=facility.stroke_levels, trauma_levels=facility.trauma_levels
                    )
                    for code in designations or [None]:
                        _element(xf, "sFacility.04", code)
                    if street:
                        xf.write(_leaf("sFacility.07", street[:255]))
                    xf.write(_leaf("sFacility.09", settings.NEMSIS_STATE_CODE))
                    _element(xf, "sFacility.10", zip_code, not_value=mapping.NOT_RECORDED)
                    county = mapping.COUNTY_CODES.get(facility.county) if facility.county else None
                    _element(xf, "sFacility.11", county, not_value=mapping.NOT_RECORDED)
                    xf.write(_leaf("sFacility.12", "US"))
                    phone = phone_number(hospital.phone)
                    if phone:
                        xf.write(_leaf("sFacility.15", phone, PhoneNumberType="9913009"))


def facility_code(hospital) -> str:
    """sFacility.03, the facility's location code: stable for as long as the hospital is on
    file (its record number), as ePCR software keys its destination lists on it."""
    return f"{settings.NEMSIS_STATE_ABBREVIATION}-H{hospital.pk:04d}"


def validation_problems(content: bytes) -> list[str]:
    """What the official schema says about ``content`` ([] when valid)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    document = etree.parse(io.BytesIO(content), parser=parser)
    schema = schemas.schema(schemas.STATE_DATASET)
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


def build_state_dataset(*, on_progress: ProgressCallback | None = None) -> RenderedXml:
    """The State Dataset, checked against StateDataSet_v3.xsd; a file that would not validate
    is never published (DomainError, with the validator's first complaints)."""
    out = io.BytesIO()
    write_state_dataset(out, on_progress=on_progress)
    content = out.getvalue()
    if on_progress:
        on_progress(95, "Checking it against the official schema.")
    problems = validation_problems(content)
    if problems:
        raise DomainError(
            "The State Dataset did not validate against the NEMSIS schema: "
            + "; ".join(problems[:5])
        )
    return RenderedXml(content=content)
