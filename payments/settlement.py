"""Reading a processor's settlement file (CSV) into the entries ``services.settlement_apply``
takes. Columns: reference, status (settled/returned), return_code (for returned lines)."""

import csv
import io

from core.errors import DomainError

from .gateway import SettlementEntry, SettlementStatus
from .models import ReturnCode

MAX_LINES = 50_000


def parse_settlement_csv(data: bytes) -> list[SettlementEntry]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("The file is not UTF-8 text (CSV).", field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    header = {name.strip().lower() for name in reader.fieldnames or []}
    if not {"reference", "status"} <= header:
        raise DomainError(
            "The first line must name the columns reference and status.", field="file"
        )
    entries, errors = [], []
    for line_number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        reference, status, code = (
            row.get("reference"),
            row.get("status", "").lower(),
            row.get("return_code", ""),
        )
        if not reference:
            errors.append(f"line {line_number}: no reference")
        elif status not in (SettlementStatus.SETTLED, SettlementStatus.RETURNED):
            errors.append(f"line {line_number}: status must be settled or returned")
        elif status == SettlementStatus.RETURNED and code not in ReturnCode.values:
            errors.append(f"line {line_number}: unknown return code {code!r}")
        else:
            entries.append(SettlementEntry(reference, SettlementStatus(status), code))
        if line_number > MAX_LINES:
            errors.append(f"more than {MAX_LINES} lines; split the file")
            break
    if errors:
        raise DomainError("Nothing was imported: " + "; ".join(errors[:10]), field="file")
    return entries
