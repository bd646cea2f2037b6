"""Importing the existing registry: providers and certifications from a CSV file (columns in
docs/education.md). Every row is validated first; a file with any bad row imports nothing and
reports every bad row by line and column. Re-running a file updates what it loaded before
(certifications by number, people by SSN hash and date of birth) instead of duplicating it.

SSNs become keyed hashes on the way in; neither the SSN nor its hash appears in an error
message, a log line or the RegistryImport record.
"""

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from core.transitions import save_with_audit

from . import rules, services
from .models import Certification, Provider, RegistryImport

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = [
    "certification_number",
    "level",
    "first_name",
    "last_name",
    "date_of_birth",
    "ssn",
    "issued_on",
    "expires_on",
]
OPTIONAL_COLUMNS = [
    "middle_name",
    "email",
    "phone",
    "address_line1",
    "city",
    "state",
    "postal_code",
    "nremt_number",
]
PROVIDER_COLUMNS = ["first_name", "middle_name", "last_name"] + OPTIONAL_COLUMNS[1:]
DATE_FORMATS = ["%Y-%m-%d", "%m/%d/%Y"]
MAX_ERRORS_KEPT = 200  # on the RegistryImport record; the caller gets them all
# About 80,000 rows; checked before the file is read (the upload handler's own ceiling,
# UPLOAD_MAX_FILE_BYTES, must be at least this).
REGISTRY_MAX_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class RegistryImportRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s); nothing was imported.")
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    providers_created: int = 0
    providers_updated: int = 0
    certifications_created: int = 0
    certifications_updated: int = 0
    unchanged: int = 0
    record: RegistryImport | None = None


@dataclass
class _Row:
    line: int
    number: str
    level: str
    date_of_birth: date
    ssn_hmac: str
    ssn_last4: str
    issued_on: date
    expires_on: date
    provider_fields: dict = field(default_factory=dict)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RegistryImportRefused(
            [
                RowError(
                    line,
                    "",
                    "The file is not UTF-8 encoded (a byte that UTF-8 does not allow is on this "
                    'line). Save it as "CSV UTF-8" and import it again.',
                )
            ]
        ) from None


def _date(value: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _level(value: str) -> str | None:
    value = value.strip().lower().replace(" ", "")
    aliases = {"advancedemt": "aemt", "medic": "paramedic"}
    value = aliases.get(value, value)
    return value if value in rules.Level.values else None


def _parse(text: str) -> tuple[list[_Row], list[RowError]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if not columns:
        return [], [RowError(1, "", "The file is empty: the first line names the columns.")]
    reader.fieldnames = columns
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        return [], [RowError(1, ", ".join(missing), "Missing columns: " + ", ".join(missing) + ".")]
    rows, errors = [], []
    seen_numbers: dict[str, int] = {}
    seen_people: dict[str, tuple[int, date]] = {}
    for raw in reader:
        line = reader.line_num
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # a blank line
        value = {c: (raw.get(c) or "").strip() for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
        row_errors = []

        def bad(column, message, _errors=row_errors, _line=line):
            _errors.append(RowError(_line, column, message))

        for column in REQUIRED_COLUMNS:
            if not value[column]:
                bad(column, "Required.")
        number = rules.normalize_number(value["certification_number"])
        level = _level(value["level"]) if value["level"] else None
        if value["level"] and level is None:
            bad("level", f"“{value['level']}” is not a level ({', '.join(rules.Level.values)}).")
        if number and not rules.NUMBER_PATTERN.match(number):
            bad(
                "certification_number",
                f"“{value['certification_number']}” is not a certification number (a level "
                f"letter and {rules.NUMBER_DIGITS} digits, e.g. E123456).",
            )
        elif number and level and rules.level_of_number(number) != level:
            bad(
                "certification_number",
                f"A {rules.Level(level).label} number starts with {rules.LEVEL_PREFIX[level]}.",
            )
        if number in seen_numbers:
            bad("certification_number", f"{number} is also on line {seen_numbers[number]}.")
        dates = {}
        for column in ("date_of_birth", "issued_on", "expires_on"):
            if value[column]:
                dates[column] = _date(value[column])
                if dates[column] is None:
                    bad(column, f"“{value[column]}” is not a date (YYYY-MM-DD or MM/DD/YYYY).")
        issued, expires = dates.get("issued_on"), dates.get("expires_on")
        if issued and expires and expires < issued:
            bad("expires_on", "The expiration date is before the issue date.")
        ssn_hmac = ssn_last4 = ""
        if value["ssn"]:
            digits = services.ssn_digits(value["ssn"])
            if not services.SSN_DIGITS.match(digits):
                bad("ssn", "An SSN has nine digits.")  # never the value itself
            else:
                ssn_hmac, ssn_last4 = services.ssn_hash(digits), digits[-4:]
                birth = dates.get("date_of_birth")
                if ssn_hmac in seen_people and birth and seen_people[ssn_hmac][1] != birth:
                    bad(
                        "date_of_birth",
                        f"The same SSN is on line {seen_people[ssn_hmac][0]} with another date "
                        "of birth.",
                    )
        if value["state"] and len(value["state"]) != 2:
            bad("state", "Use the two-letter state code.")
        if row_errors:
            errors.extend(row_errors)
            continue
        seen_numbers[number] = line
        seen_people.setdefault(ssn_hmac, (line, dates["date_of_birth"]))
        rows.append(
            _Row(
                line=line,
                number=number,
                level=level,
                date_of_birth=dates["date_of_birth"],
                ssn_hmac=ssn_hmac,
                ssn_last4=ssn_last4,
                issued_on=dates["issued_on"],
                expires_on=dates["expires_on"],
                provider_fields={
                    c: value[c].upper() if c == "state" else value[c] for c in PROVIDER_COLUMNS
                },
            )
        )
    return rows, errors


def _check_against_record(rows: list[_Row]) -> tuple[dict, list[RowError]]:
    """Numbers already on the record must belong to the same person (SSN hash)."""
    existing = {}
    numbers = [row.number for row in rows]
    for start in range(0, len(numbers), 1000):
        for certification in Certification.objects.filter(
            number__in=numbers[start : start + 1000]
        ).select_related("provider"):
            existing[certification.number] = certification
    errors = []
    for row in rows:
        certification = existing.get(row.number)
        if certification and (
            certification.provider.ssn_hmac != row.ssn_hmac
            or certification.provider.date_of_birth != row.date_of_birth
        ):
            errors.append(
                RowError(
                    row.line,
                    "certification_number",
                    f"{row.number} is on the record for another person (SSN or date of birth "
                    "differ).",
                )
            )
    return existing, errors


def registry_import(*, data: bytes, file_name: str, actor=None, dry_run=False) -> ImportResult:
    """Validate the whole file, then load it in one transaction; raise RegistryImportRefused
    with every error (nothing imported) when any row is bad."""
    try:
        rows, errors = _parse(_decode(data))
        existing = {}
        if not errors:
            existing, errors = _check_against_record(rows)
        if not errors and not rows:
            errors = [RowError(2, "", "The file has no rows to import.")]
        if errors:
            raise RegistryImportRefused(errors)
    except RegistryImportRefused as refused:
        logger.warning("Registry import of %s refused: %d error(s)", file_name, len(refused.errors))
        if not dry_run:
            RegistryImport.objects.create(
                file_name=file_name[:255],
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
                succeeded=False,
                error_count=len(refused.errors),
                errors="\n".join(str(e) for e in refused.errors[:MAX_ERRORS_KEPT]),
            )
        raise
    result = ImportResult(rows=len(rows))
    if dry_run:
        return result
    with transaction.atomic():
        _load(rows, existing, result, actor=actor)
        result.record = RegistryImport.objects.create(
            file_name=file_name[:255],
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            succeeded=True,
            rows=result.rows,
            providers_created=result.providers_created,
            certifications_created=result.certifications_created,
            certifications_updated=result.certifications_updated,
        )
    logger.info(
        "Registry import of %s: %d rows, %d certifications created, %d updated",
        file_name,
        result.rows,
        result.certifications_created,
        result.certifications_updated,
    )
    return result


def _load(rows: list[_Row], existing: dict, result: ImportResult, *, actor) -> None:
    reason = "Registry import"
    people: dict[tuple[str, date], Provider] = {}
    for certification in existing.values():
        provider = certification.provider
        people[(provider.ssn_hmac, provider.date_of_birth)] = provider
    for row in rows:
        key = (row.ssn_hmac, row.date_of_birth)
        provider = people.get(key) or services.provider_find(
            ssn_hmac=row.ssn_hmac, date_of_birth=row.date_of_birth
        )
        if provider is None:
            fields = {k: v for k, v in row.provider_fields.items() if v}
            provider = services.provider_create_keyed(
                date_of_birth=row.date_of_birth,
                ssn_hmac=row.ssn_hmac,
                ssn_last4=row.ssn_last4,
                actor=actor,
                reason=reason,
                **{"first_name": "", "last_name": "", **fields},
            )
            result.providers_created += 1
        else:
            changed = [
                name
                for name, value in row.provider_fields.items()
                if value and getattr(provider, name) != value
            ]
            if changed:
                for name in changed:
                    setattr(provider, name, row.provider_fields[name])
                save_with_audit(
                    provider, actor=actor, reason=reason, update_fields=changed + ["updated_at"]
                )
                result.providers_updated += 1
        people[key] = provider
        certification = existing.get(row.number)
        if certification is None:
            certification = Certification(
                provider=provider,
                number=row.number,
                level=row.level,
                issued_on=row.issued_on,
                expires_on=row.expires_on,
            )
            save_with_audit(certification, actor=actor, reason=reason)
            result.certifications_created += 1
            continue
        wanted = {"issued_on": row.issued_on, "expires_on": row.expires_on}
        changed = [name for name, value in wanted.items() if getattr(certification, name) != value]
        if changed:
            for name in changed:
                setattr(certification, name, wanted[name])
            save_with_audit(
                certification, actor=actor, reason=reason, update_fields=changed + ["updated_at"]
            )
            result.certifications_updated += 1
        else:
            result.unchanged += 1
