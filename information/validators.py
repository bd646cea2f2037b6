"""Uploads must be real PDFs: the content decides (core.files), never the name."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from core.files import new_upload, validate_pdf_upload

from .constants import PDF_MAX_BYTES


def validate_pdf(upload) -> None:
    if new_upload(upload) is None:
        return
    if upload.size is not None and upload.size > PDF_MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {filesizeformat(PDF_MAX_BYTES)}.", code="too_large"
        )
    validate_pdf_upload(upload)
