"""Uploads must be real PDFs: the extension alone is not enough, the file must start like one."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .constants import PDF_MAX_BYTES


def validate_pdf(upload) -> None:
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError("Upload a PDF file (its name ends in .pdf).", code="not_pdf")
    if upload.size is not None and upload.size > PDF_MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {filesizeformat(PDF_MAX_BYTES)}.", code="too_large"
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(5)
    finally:
        upload.seek(position)
    if head != b"%PDF-":
        raise ValidationError("This file is not a PDF document.", code="not_pdf")
