"""Render a Django template to PDF with WeasyPrint, in chunks, offline.

Why chunks: WeasyPrint lays a whole document out in memory, and its cost grows faster than the
row count (one 20,000-row table: 91 s and 1.55 GB on this machine, see DESIGN.md). So a long
table is rendered as separate documents of ``chunk_rows`` rows each, written to PDF and dropped
one by one, and merged with pypdf; memory stays at one chunk's layout. Because each chunk numbers
its own pages, "Page X of Y" is not laid out with the chunks: one light WeasyPrint document of
blank pages carrying only the page numbers (same page size and margins) is stamped over the
merged pages. ``benchmarks/pdf_chunks.py`` measures this against one plain table.

Why a custom URL fetcher: PDFs are rendered by workers from templates that may contain user
data; nothing in them may make the worker fetch from the network. Only static files (through the
staticfiles finders) and media files are readable; fonts come from the system (fontconfig).
"""

import io
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STYLESHEET_DIR = Path(__file__).resolve().parent / "static" / "documents"
PRINT_CSS = STYLESHEET_DIR / "print.css"
PAGE_NUMBERS_CSS = STYLESHEET_DIR / "page-numbers.css"
# Relative and root-relative URLs in templates ({% static %} gives "/static/...") resolve
# against this base, so they arrive at the fetcher as file: URLs it can map.
BASE_URL = "file:///"

ProgressCallback = Callable[[int, str], None]

# WeasyPrint logs every laid-out page at INFO; a 500-page roster would flood the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


class RefusedURL(ValueError):
    """WeasyPrint logs this and leaves the resource out; the render goes on."""


class LocalOnlyURLFetcher(URLFetcher):
    """Serves static and media files from disk; refuses every other URL (http, https, ftp,
    files outside those folders)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise RefusedURL(f"PDF rendering fetches local files only, not {url!r}.")
        path = local_path_for(unquote(parsed.path))
        if path is None:
            raise RefusedURL(f"{url!r} is not a static or media file.")
        return super().fetch(path.as_uri(), headers)


def local_path_for(url_path: str) -> Path | None:
    """The file on disk a static or media URL path names, or None."""
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    media_url = "/" + settings.MEDIA_URL.strip("/") + "/"
    if url_path.startswith(static_url):
        try:
            found = finders.find(url_path[len(static_url) :])
        except SuspiciousFileOperation:  # "../" out of the static folders
            return None
        return Path(found).resolve() if found else None
    if url_path.startswith(media_url):
        root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (root / url_path[len(media_url) :]).resolve()
        return candidate if candidate.is_relative_to(root) and candidate.is_file() else None
    candidate = Path(url_path).resolve()
    allowed_roots = [STYLESHEET_DIR, Path(settings.MEDIA_ROOT).resolve()]
    if any(candidate.is_relative_to(root) for root in allowed_roots) and candidate.is_file():
        return candidate
    return None


def _stylesheets(*paths: Path) -> list[CSS]:
    fetcher = LocalOnlyURLFetcher()
    return [CSS(filename=str(path), url_fetcher=fetcher) for path in paths]


def html_to_pdf(html: str, *, stylesheets: list[Path] | None = None) -> bytes:
    """One WeasyPrint render of an HTML string with the print stylesheet (no page numbers)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalOnlyURLFetcher())
    return document.write_pdf(stylesheets=_stylesheets(*(stylesheets or [PRINT_CSS])))


def _row_count(rows: Iterable) -> int | None:
    if isinstance(rows, QuerySet):
        return rows.count()
    try:
        return len(rows)  # type: ignore[arg-type]
    except TypeError:
        return None


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows.iterator(chunk_size=size) if isinstance(rows, QuerySet) else rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _page_number_overlay(page_count: int) -> PdfReader:
    """Blank pages carrying "Page X of Y" in the footer, laid out by WeasyPrint."""
    pages = '<div class="page-number-sheet"></div>' * page_count
    html = f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>{pages}</body></html>'
    pdf = html_to_pdf(html, stylesheets=[PRINT_CSS, PAGE_NUMBERS_CSS])
    return PdfReader(io.BytesIO(pdf))


def render_pdf(
    *,
    template: str,
    context: dict,
    title: str,
    chunk_rows: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> RenderedPdf:
    """Render ``template`` to a PDF.

    The template gets ``title``, ``generated_at`` and ``generated_on`` besides ``context``; with
    ``chunk_rows`` it is rendered once per chunk of ``context["rows"]`` and also gets
    ``is_first_chunk``/``is_last_chunk`` (intro and totals belong on the first/last one).
    ``on_progress(percent, message)`` is called after each chunk.
    """

    def progress(percent: int, message: str) -> None:
        if on_progress:
            on_progress(percent, message)

    generated_at = timezone.localtime()
    base = {
        **context,
        "title": title,
        "generated_at": generated_at,
        "generated_on": generated_at.strftime("%B %-d, %Y"),
        "OFFICE_NAME": "Office of Emergency Medical Services",
    }
    writer = PdfWriter()
    if chunk_rows:
        rows = context.get("rows", [])
        total = _row_count(rows)
        chunk_total = -(-total // chunk_rows) if total else None
        chunks = _chunks(rows, chunk_rows)
        current = next(chunks, [])
        index = 0
        done_rows = 0
        while True:
            following = next(chunks, None)
            html = render_to_string(
                template,
                {
                    **base,
                    "rows": current,
                    "row_total": total,
                    "is_first_chunk": index == 0,
                    "is_last_chunk": following is None,
                },
            )
            writer.append(PdfReader(io.BytesIO(html_to_pdf(html))))
            done_rows += len(current)
            index += 1
            if chunk_total:
                progress(
                    min(90, 90 * index // chunk_total),
                    f"Laid out {done_rows:,} of {total:,} rows (part {index} of {chunk_total}).",
                )
            else:
                progress(min(90, 10 * index), f"Laid out {done_rows:,} rows.")
            if following is None:
                break
            current = following
    else:
        html = render_to_string(
            template, {**base, "row_total": None, "is_first_chunk": True, "is_last_chunk": True}
        )
        writer.append(PdfReader(io.BytesIO(html_to_pdf(html))))
        progress(90, "Laid out the document.")

    page_count = len(writer.pages)
    progress(92, f"Numbering {page_count:,} pages.")
    overlay = _page_number_overlay(page_count)
    for page, numbers in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(numbers)
        # merge_page leaves the combined content stream uncompressed (about 8x the size).
        page.compress_content_streams()
    writer.add_metadata({"/Title": title, "/Creator": "OEMS Portal"})
    output = io.BytesIO()
    writer.write(output)
    progress(99, "Saving the file.")
    return RenderedPdf(content=output.getvalue(), page_count=page_count)
