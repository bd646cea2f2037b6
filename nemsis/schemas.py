"""The official NEMSIS v3.5.1 schemas: where they are, loaded once per process, and the code
lists (``xs:enumeration``) read from them, so the portal's choices come from the standard."""

from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
STATE_DATASET = "StateDataSet_v3.xsd"
DEM_DATASET = "DEMDataSet_v3.xsd"


def schema_dir() -> Path:
    return Path(settings.NEMSIS_SCHEMA_DIR)


def _safe_parser() -> etree.XMLParser:
    # The schemas are trusted files on disk, but nothing here ever fetches from the network.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@cache
def schema(name: str) -> etree.XMLSchema:
    """The compiled schema (its xs:include files resolve from the same folder)."""
    path = schema_dir() / name
    return etree.XMLSchema(etree.parse(str(path), parser=_safe_parser()))


@cache
def code_list(type_name: str) -> dict[str, str]:
    """{code: label} of a simple type's enumeration, searched in every schema file."""
    for path in sorted(schema_dir().glob("*.xsd")):
        root = etree.parse(str(path), parser=_safe_parser()).getroot()
        for simple_type in root.iter(f"{XS}simpleType"):
            if simple_type.get("name") != type_name:
                continue
            codes = {}
            for enumeration in simple_type.iter(f"{XS}enumeration"):
                documentation = enumeration.find(f"{XS}annotation/{XS}documentation")
                label = (documentation.text or "").strip() if documentation is not None else ""
                codes[enumeration.get("value")] = label
            return codes
    raise LookupError(f"No code list {type_name!r} in {schema_dir()}.")
