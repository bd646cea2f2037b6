"""Real files for upload tests: the portal checks content (core.files), so fakes are refused."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.files import minimal_pdf

PDF = minimal_pdf()


def _image(format_name: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format_name)
    return buffer.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")
# A PDF header with a page behind it: what a provider would upload as "poc.html".
HTML_POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def pdf_upload(name: str = "document.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")
