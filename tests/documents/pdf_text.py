"""Read a generated PDF back as text, page by page (pypdf)."""

import io

from pypdf import PdfReader


def pdf_pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
