"""The Short Form spreadsheet (download prefilled, upload validated cell by cell) and the
published allowable-rates workbook, with openpyxl.

The layout lives here once: the organization number and year sit in column B of the heading
block, so an upload can be matched to its filing; the rows are the categories of last year's
approved schedule; only the "requested rate" column is unlocked.
"""

import sys
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from defusedxml import DefusedXmlException
from django.template.defaultfilters import filesizeformat
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from core.exports import xlsx_append, xlsx_bytes, xlsx_set

from . import rules

SHEET_TITLE = "Short Form"
NUMBER_CELL = "B2"
NAME_CELL = "B3"
YEAR_CELL = "B4"
CPI_CELL = "B5"
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 1
CODE_COLUMN, PRIOR_COLUMN, CAP_COLUMN, REQUESTED_COLUMN = 1, 4, 5, 6
MONEY_FORMAT = "#,##0.00"
# An uploaded Short Form is a few kilobytes. Checked before openpyxl reads a byte of it: the
# file's size, then what its zip says it unpacks to (a zip bomb unpacks to gigabytes), so a
# hostile workbook is refused with flat memory. defusedxml (installed) makes openpyxl refuse XML
# entity bombs inside the parts.
SPREADSHEET_MAX_BYTES = 2 * 1024 * 1024
SPREADSHEET_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
SPREADSHEET_MAX_RATIO = 100  # unpacked / packed, per part


def headings(year: int) -> list[str]:
    return [
        "Category code",
        "Category",
        "Unit",
        f"{year - 1} approved rate",
        f"{year} cap",
        f"{year} requested rate",
    ]


def _cell_name(row: int, column: int, year: int) -> str:
    return f"Row {row}, column {get_column_letter(column)} ({headings(year)[column - 1]})"


def short_form_workbook(*, organization, rate_year, rows) -> bytes:
    """The organization's Short Form as an XLSX: last year's rates and caps filled in and
    locked, the requested column open (prefilled with any draft)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet["A1"] = f"{rate_year.year} Short Form rate application"
    sheet["A1"].font = Font(bold=True, size=14)
    # Names and codes are people's typing: written through core.exports, never as formulas.
    sheet["A2"] = "Organization number"
    xlsx_set(sheet, NUMBER_CELL, organization.number)
    sheet["A3"] = "Organization"
    xlsx_set(sheet, NAME_CELL, organization.legal_name)
    sheet["A4"], sheet[YEAR_CELL] = "Rate year", rate_year.year
    sheet["A5"], sheet[CPI_CELL] = "CPI increase", float(rate_year.cpi_factor)
    sheet[CPI_CELL].number_format = "0.0%"
    sheet["A6"] = (
        "Enter a rate in the last column for every row. A rate above its cap needs the Full "
        "Rate Application (Long Form). Do not add, remove or reorder rows or columns."
    )
    for column, title in enumerate(headings(rate_year.year), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = Font(bold=True)
    validation = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Rate",
        error="Enter an amount in dollars, zero or more.",
    )
    sheet.add_data_validation(validation)
    for offset, row in enumerate(rows):
        number = FIRST_ROW + offset
        xlsx_set(sheet, row=number, column=1, value=row.category.code)
        xlsx_set(sheet, row=number, column=2, value=row.category.name)
        xlsx_set(sheet, row=number, column=3, value=row.category.unit)
        for column, amount in [(PRIOR_COLUMN, row.prior), (CAP_COLUMN, row.cap)]:
            cell = sheet.cell(row=number, column=column, value=amount)
            cell.number_format = MONEY_FORMAT
        requested = sheet.cell(row=number, column=REQUESTED_COLUMN, value=row.requested)
        requested.number_format = MONEY_FORMAT
        requested.protection = Protection(locked=False)
        validation.add(requested)
    for column, width in zip("ABCDEF", [26, 36, 16, 18, 14, 20], strict=True):
        sheet.column_dimensions[column].width = width
    # Protection keeps the structure as sent; it is a guide, not security: the upload is
    # validated cell by cell whatever the file claims.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    workbook.security = None
    return xlsx_bytes(workbook)


@dataclass
class SpreadsheetError(Exception):
    problems: list[str] = field(default_factory=list)

    def __str__(self):
        return "; ".join(self.problems)


NOT_A_WORKBOOK = (
    "This file is not an Excel workbook (.xlsx); upload the spreadsheet downloaded here."
)
UNSAFE_XML = (
    "This workbook holds XML entity definitions, which the portal does not open (they can "
    "expand to gigabytes). Upload the spreadsheet downloaded here."
)


def _open_workbook(file):
    """The workbook, read-only, once its size and its zip's unpacked size are sensible."""
    if file.size > SPREADSHEET_MAX_BYTES:
        raise SpreadsheetError(
            [
                f"This file is {filesizeformat(file.size)}; a Short Form spreadsheet is at most "
                f"{filesizeformat(SPREADSHEET_MAX_BYTES)}. Upload the spreadsheet downloaded here."
            ]
        )
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
        file.seek(0)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SpreadsheetError([NOT_A_WORKBOOK]) from None
    unpacked = sum(part.file_size for part in parts)
    inflated = any(
        part.file_size > SPREADSHEET_MAX_RATIO * max(part.compress_size, 1024) for part in parts
    )
    if unpacked > SPREADSHEET_MAX_UNPACKED_BYTES or inflated:
        raise SpreadsheetError(
            [
                "This workbook unpacks to far more data than a Short Form holds (it may be a "
                "“zip bomb”); it was not opened. Upload the spreadsheet downloaded here."
            ]
        )
    try:
        return load_workbook(file, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        # SyntaxError: malformed XML (ParseError derives from it). openpyxl wraps what went
        # wrong in a ValueError, so defusedxml's refusal is found in the chain.
        raise SpreadsheetError([_problem(sys.exc_info()[1])]) from None


def _problem(error: BaseException | None) -> str:
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return UNSAFE_XML
        error = error.__cause__ or error.__context__
    return NOT_A_WORKBOOK


def read_short_form(*, file, organization, rate_year, rows) -> dict[str, Decimal | None]:
    """The requested rates in an uploaded Short Form (category code -> amount or None), or a
    ``SpreadsheetError`` listing every problem with its row and column. Nothing is saved here."""
    workbook = _open_workbook(file)
    try:
        return _short_form_rates(
            workbook, organization=organization, rate_year=rate_year, rows=rows
        )
    except (DefusedXmlException, zipfile.BadZipFile, KeyError, OSError, SyntaxError) as error:
        # Read-only mode parses a sheet as it is read, so its XML is also checked here.
        raise SpreadsheetError([_problem(error)]) from None
    finally:
        workbook.close()  # read-only workbooks keep the file open until closed


def _short_form_rates(workbook, *, organization, rate_year, rows) -> dict[str, Decimal | None]:
    if SHEET_TITLE not in workbook.sheetnames:
        raise SpreadsheetError(
            [
                f"The workbook has no sheet named “{SHEET_TITLE}”; upload the spreadsheet downloaded here."
            ]
        )
    sheet = workbook[SHEET_TITLE]
    year = rate_year.year

    number = str(sheet[NUMBER_CELL].value or "").strip()
    if number != organization.number:
        raise SpreadsheetError(
            [
                f"Cell {NUMBER_CELL}: this spreadsheet is for organization “{number or 'none'}”, "
                f"not {organization.number}. Download your own organization's spreadsheet."
            ]
        )
    sheet_year = sheet[YEAR_CELL].value
    if str(sheet_year).strip() != str(year):
        raise SpreadsheetError(
            [f"Cell {YEAR_CELL}: this spreadsheet is for {sheet_year}, not {year}."]
        )

    problems: list[str] = []
    expected_headings = headings(year)
    for column, title in enumerate(expected_headings, start=1):
        found = sheet.cell(row=HEADER_ROW, column=column).value
        if str(found or "").strip() != title:
            problems.append(
                f"Row {HEADER_ROW}, column {get_column_letter(column)}: expected the heading "
                f"“{title}”, found “{found or ''}”."
            )
    extra_columns = {}
    for row in sheet.iter_rows(min_row=HEADER_ROW, min_col=len(expected_headings) + 1):
        for cell in row:
            if cell.value not in (None, "") and cell.column not in extra_columns:
                extra_columns[cell.column] = cell
    for column, cell in sorted(extra_columns.items()):
        problems.append(
            f"Column {get_column_letter(column)} (“{cell.value}” in row {cell.row}) is not part "
            f"of the form; remove it."
        )

    by_code = {row.category.code: row for row in rows}
    seen: dict[str, int] = {}
    requested: dict[str, Decimal | None] = {}
    for number_, cells in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=len(expected_headings), values_only=True),
        start=FIRST_ROW,
    ):
        if all(value in (None, "") for value in cells):
            continue
        code = str(cells[CODE_COLUMN - 1] or "").strip()
        if not code:
            problems.append(
                f"{_cell_name(number_, CODE_COLUMN, year)}: the category code is missing."
            )
            continue
        if code not in by_code:
            problems.append(
                f"{_cell_name(number_, CODE_COLUMN, year)}: “{code}” is not a category of your "
                f"{year} Short Form."
            )
            continue
        if code in seen:
            problems.append(
                f"Row {number_}: {by_code[code].category.name} appears twice (also row {seen[code]})."
            )
            continue
        seen[code] = number_
        row = by_code[code]
        where = _cell_name(number_, REQUESTED_COLUMN, year)
        try:
            amount = rules.parse_rate(cells[REQUESTED_COLUMN - 1])
        except ValueError as error:
            problems.append(f"{where}: {error}.")
            continue
        problem = rules.short_form_problem(
            category_name=row.category.name, requested=amount, prior=row.prior, cap=row.cap
        )
        if problem:
            problems.append(f"{where}: {problem}")
            continue
        requested[code] = amount
    for code, row in by_code.items():
        if code not in seen:
            problems.append(
                f"The row for {row.category.name} (code {code}) is missing; download a fresh "
                f"spreadsheet."
            )
    if problems:
        raise SpreadsheetError(problems)
    return requested


def allowable_rates_workbook(allowable) -> bytes:
    """The published table of one year as an XLSX (same columns as the CSV)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Allowable rates {allowable.rate_year.year}"
    header = allowable_rates_header(allowable)
    xlsx_append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in allowable_rates_rows(allowable):
        xlsx_append(sheet, values)
    for row in sheet.iter_rows(min_row=2, min_col=4):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    return xlsx_bytes(workbook)


def allowable_rates_header(allowable) -> list[str]:
    return ["Organization", "Number", "Schedule"] + [
        f"{category.name} ({category.unit})" for category in allowable.categories
    ]


def allowable_rates_rows(allowable):
    for schedule, amounts in allowable.rows:
        yield [
            schedule.organization.legal_name,
            schedule.organization.number,
            schedule.get_kind_display(),
            *[amounts.get(category.pk) for category in allowable.categories],
        ]
