"""Read an agency's NEMSIS v3.5.1 ``DEMDataSet`` file: refuse what is not one, and take out what
the portal checks (the agency's numbers, its personnel's licences, its vehicles).

Defused: no DTD (a DOCTYPE, hence any entity, is refused before anything is expanded), entities
never resolved, no network, libxml2's huge-tree limits on. Streaming: ``iterparse`` with every
finished group cleared, so memory stays flat whatever the roster; the schema check streams too
(lxml validates while it parses). libxml2 reports a streaming validation error without its
line, so only when a file fails is it validated again as a tree to name the line; the size
limit bounds that tree.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from . import mapping, schemas

N = f"{{{mapping.NAMESPACE}}}"
SUPPORTED_VERSION = "3.5.1"
NEMSIS2_ELEMENT = re.compile(r"^[DE]\d{2}_\d{2}$")
VERSION_IN_LOCATION = re.compile(r"(\d+\.\d+\.\d+)")

ProgressCallback = Callable[[int, str], None]


class DemRefused(Exception):
    """The file is refused; ``message`` says why, ``line`` and ``element`` where."""

    def __init__(self, message: str, *, line: int | None = None, element: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.element = element


@dataclass
class Licence:
    state: str
    number: str
    level_code: str


@dataclass
class Person:
    line: int
    last_name: str = ""
    first_name: str = ""
    licences: list[Licence] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or "(no name)"


@dataclass
class VehicleRow:
    line: int
    unit_number: str = ""
    vin: str = ""
    call_sign: str = ""
    year: str = ""


@dataclass
class DemContents:
    agency_state_id: str = ""
    agency_number: str = ""
    agency_name: str = ""
    agency_line: int | None = None
    reports: int = 0
    personnel: list[Person] = field(default_factory=list)
    vehicles: list[VehicleRow] = field(default_factory=list)


def _local(tag) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _text(parent, name: str) -> str:
    child = parent.find(N + name)
    return (child.text or "").strip() if child is not None and child.text else ""


class _CountingReader:
    """A file wrapper that knows how far the parser has read (for progress)."""

    def __init__(self, file):
        self.file = file
        self.position = 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.position += len(data)
        return data


def _parse_options() -> dict:
    return {
        "resolve_entities": False,
        "no_network": True,
        "huge_tree": False,
        "load_dtd": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def _check_root(element) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise DemRefused(
            "The file declares a DOCTYPE (and so may define entities); NEMSIS files have none, "
            "and the portal refuses them to stay safe from entity expansion.",
            line=1,
            element="DOCTYPE",
        )
    tag = element.tag
    local = _local(tag)
    namespace = tag[1:].split("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""
    if namespace != mapping.NAMESPACE:
        raise DemRefused(
            f"This is not a NEMSIS v3 file: its root element is <{local}>"
            + (f" in the namespace {namespace!r}" if namespace else " with no namespace")
            + f", not <DEMDataSet> in {mapping.NAMESPACE!r}.",
            line=element.sourceline,
            element=local,
        )
    if local != "DEMDataSet":
        raise DemRefused(
            f"This NEMSIS file is a {local}, not a Demographic (DEMDataSet) file.",
            line=element.sourceline,
            element=local,
        )
    location = element.get(f"{{{mapping.XSI_NAMESPACE}}}schemaLocation") or ""
    version = VERSION_IN_LOCATION.search(location)
    if version and version.group(1) != SUPPORTED_VERSION:
        raise DemRefused(
            f"This file is NEMSIS version {version.group(1)} (its schemaLocation says so); the "
            f"portal takes version {SUPPORTED_VERSION}.",
            line=element.sourceline,
            element="DEMDataSet",
        )


def _syntax_refusal(error: etree.XMLSyntaxError) -> DemRefused:
    message = error.msg or str(error)
    if "entity" in message.lower():
        return DemRefused(
            f"The file uses entities, which the portal refuses: {message}",
            line=error.lineno or None,
            element="ENTITY",
        )
    return DemRefused(
        f"This is not well-formed XML: {message}", line=error.lineno or None, element=""
    )


def read_dem(path: str, *, size: int, on_progress: ProgressCallback | None = None) -> DemContents:
    """Read the file at ``path`` (``size`` bytes) or raise DemRefused."""
    contents = _collect(path, size=size, on_progress=on_progress)
    _validate(path, on_progress=on_progress)
    if contents.reports != 1:
        raise DemRefused(
            f"The file holds {contents.reports} agencies' reports; send one file per agency.",
            element="DemographicReport",
        )
    return contents


def _collect(path: str, *, size: int, on_progress: ProgressCallback | None) -> DemContents:
    contents = DemContents()
    with open(path, "rb") as raw:
        reader = _CountingReader(raw)
        events = etree.iterparse(reader, events=("start", "end"), **_parse_options())
        seen = 0
        try:
            for event, element in events:
                if not isinstance(element.tag, str):
                    continue  # an unresolved entity reference: refused below, never expanded
                local = _local(element.tag)
                if event == "start":
                    if seen == 0:
                        _check_root(element)
                    seen += 1
                    if NEMSIS2_ELEMENT.match(local):
                        raise DemRefused(
                            f"<{local}> is a NEMSIS version 2 element; the portal takes "
                            f"version {SUPPORTED_VERSION}.",
                            line=element.sourceline,
                            element=local,
                        )
                    if local == "dAgency.02":
                        contents.agency_line = element.sourceline
                    continue
                if local == "DemographicReport":
                    contents.reports += 1
                elif local == "dAgency":
                    contents.agency_state_id = _text(element, "dAgency.01")
                    contents.agency_number = _text(element, "dAgency.02")
                    contents.agency_name = _text(element, "dAgency.03")
                    element.clear()
                elif local == "dPersonnel.PersonnelGroup":
                    contents.personnel.append(_person(element))
                    element.clear()
                elif local == "dVehicle.VehicleGroup":
                    contents.vehicles.append(_vehicle(element))
                    element.clear()
                elif local in ("dConfiguration", "dContact", "dLocation", "dDevice", "dFacility"):
                    element.clear()  # not checked here; the schema pass validates them
                if on_progress and seen % 500 == 0 and size:
                    on_progress(
                        min(45, 5 + 40 * reader.position // size),
                        f"Read {reader.position:,} of {size:,} bytes.",
                    )
        except etree.XMLSyntaxError as error:
            raise _syntax_refusal(error) from error
    if seen == 0:
        raise DemRefused("The file is empty.", line=1)
    return contents


def _person(group) -> Person:
    person = Person(line=group.sourceline)
    name_group = group.find(N + "dPersonnel.NameGroup")
    if name_group is not None:
        person.last_name = _text(name_group, "dPersonnel.01")
        person.first_name = _text(name_group, "dPersonnel.02")
    for licensure in group.findall(N + "dPersonnel.LicensureGroup"):
        person.licences.append(
            Licence(
                state=_text(licensure, "dPersonnel.22"),
                number=_text(licensure, "dPersonnel.23"),
                level_code=_text(licensure, "dPersonnel.24"),
            )
        )
    return person


def _vehicle(group) -> VehicleRow:
    return VehicleRow(
        line=group.sourceline,
        unit_number=_text(group, "dVehicle.01"),
        vin=_text(group, "dVehicle.02").upper(),
        call_sign=_text(group, "dVehicle.03"),
        year=_text(group, "dVehicle.10"),
    )


def _validate(path: str, *, on_progress: ProgressCallback | None) -> None:
    if on_progress:
        on_progress(50, "Checking the file against the NEMSIS v3.5.1 schema.")
    schema = schemas.schema(schemas.DEM_DATASET)
    try:
        with open(path, "rb") as raw:
            for _event, element in etree.iterparse(
                raw, events=("end",), schema=schema, **_parse_options()
            ):
                if element.getparent() is not None and _local(element.tag).endswith("Group"):
                    element.clear()
        return
    except etree.XMLSyntaxError:
        pass
    # Invalid: validate the tree once more to name the line (bounded by the size limit).
    document = etree.parse(path, parser=etree.XMLParser(**_parse_options()))
    schema.validate(document)
    error = schema.error_log.last_error if not len(schema.error_log) else schema.error_log[0]
    message = error.message if error is not None else "The file is not valid."
    element = re.search(r"Element '(?:\{[^}]*\})?([^']+)'", message or "")
    raise DemRefused(
        f"The file is not valid NEMSIS v3.5.1: {message}",
        line=(error.line if error is not None else None) or None,
        element=element.group(1) if element else "",
    )
