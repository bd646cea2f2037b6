"""Upload size limits (core.uploads) and hostile spreadsheets: an oversized body is refused with
a clear message beside its field, the rest of the form kept, memory flat; never a 500."""

import io
import resource
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from organizations.models import Town

pytestmark = pytest.mark.django_db

BOUNDARY = "----portal-test-boundary"
MB = 1024 * 1024


class StreamedBody:
    """A multipart body of any size, made as it is read: the fields, then one file of
    ``file_size`` bytes after a PDF header, generated chunk by chunk (never held in memory)."""

    def __init__(self, fields: dict, file_field: str, file_name: str, file_size: int):
        parts = [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n'
        )
        self.head = "".join(parts).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_left = file_size - len(b"%PDF-1.7\n")
        self.length = len(self.head) + self.file_left + len(self.tail)
        self.position = 0

    def read(self, size=-1):
        size = self.length - self.position if size is None or size < 0 else size
        out = bytearray()
        while size > 0 and self.position < self.length:
            if self.position < len(self.head):
                piece = self.head[self.position : self.position + size]
            elif self.position < len(self.head) + self.file_left:
                left = len(self.head) + self.file_left - self.position
                piece = b"0" * min(size, left, MB)
            else:
                start = self.position - len(self.head) - self.file_left
                piece = self.tail[start : start + size]
            out += piece
            self.position += len(piece)
            size -= len(piece)
        return bytes(out)

    def readline(self, size=-1):  # WSGI input API; the multipart parser only calls read()
        return self.read(size)


def post_streamed(path: str, body: StreamedBody):
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )
    return ClientHandler(enforce_csrf_checks=False)(environ)


def complaint_fields():
    return {
        "subject_query": "",
        "subject": "",
        "subject_description": "The driver of ambulance 7",
        "incident_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "incident_town": str(Town.objects.get(name="Hartford").pk),
        "incident_place": "Main Street",
        "category": "standard_of_care",
        "narrative": "They drove off with the lights on and no patient.",
        "complainant_name": "Casey",
        "complainant_email": "casey@example.net",
        "complainant_phone": "",
        "website": "",
        "submission_token": str(uuid.uuid4()),
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_200_mb_complaint_attachment_is_refused_beside_the_field_keeping_the_complaint(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    before = _peak_rss_mb()
    body = StreamedBody(complaint_fields(), "attachments", "evidence.pdf", 200 * MB)
    response = post_streamed(reverse("complaints:file"), body)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“evidence.pdf” is 200.0 MB; the limit is 10 MB per file." in page
    assert "usa-error-message" in page
    assert "They drove off with the lights on and no patient." in page and "Casey" in page
    assert Complaint.objects.count() == 0
    # Nothing of the file was kept: not in memory, not on disk.
    assert _peak_rss_mb() - before < 40
    assert list(tmp_path.iterdir()) == []


def test_a_file_over_the_per_file_ceiling_is_dropped_and_the_form_says_so(settings, tmp_path):
    """The ceiling comes before any per-form limit: a nomination's 10 MB limit applies to the
    size that was sent, though nothing past the ceiling was stored."""
    from tests.information.factories import NominationPeriodFactory, category

    settings.UPLOAD_MAX_FILE_BYTES = 1 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    NominationPeriodFactory()
    fields = {
        "nominee_name": "Ed Educator",
        "nominee_affiliation": "",
        "nominator_name": "Nora",
        "nominator_email": "nora@example.com",
        "nominator_phone": "",
        "narrative": "Thirty years of service.",
        "submission_token": str(uuid.uuid4()),
    }
    body = StreamedBody(fields, "attachment", "letters.pdf", 12 * MB)
    url = reverse("information:nominate", kwargs={"category": category().slug})
    response = post_streamed(url, body)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is larger than 10.0" in page
    assert "Ed Educator" in page and "Thirty years of service." in page


def test_a_request_over_the_total_limit_keeps_no_file(settings, tmp_path):
    from core.uploads import RefusedUpload

    settings.UPLOAD_MAX_REQUEST_BYTES = 2 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    body = StreamedBody({"note": "kept"}, "file", "scan.pdf", 3 * MB)
    environ = RequestFactory()._base_environ(
        PATH_INFO="/",
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )
    from django.core.handlers.wsgi import WSGIRequest

    request = WSGIRequest(environ)
    upload = request.FILES["file"]
    assert isinstance(upload, RefusedUpload) and upload.size >= 3 * MB - 100
    assert "larger than 2.0" in upload.refused_message
    assert request.POST["note"] == "kept"


# --- Spreadsheets -------------------------------------------------------------------------------


def _xlsx_with(part_name: str, writer) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(part_name, "w") as part:
            writer(part)
    return buffer.getvalue()


def _read(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rates import spreadsheets

    with pytest.raises(spreadsheets.SpreadsheetError) as refused:
        spreadsheets.read_short_form(
            file=SimpleUploadedFile("rates.xlsx", content),
            organization=None,
            rate_year=None,
            rows=[],
        )
    return str(refused.value)


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked():
    def zeros(part):
        for _ in range(200):
            part.write(b"\x00" * MB)

    bomb = _xlsx_with("xl/worksheets/sheet1.xml", zeros)
    assert len(bomb) < 2 * MB  # small on the wire
    before = _peak_rss_mb()
    assert "zip bomb" in _read(bomb)
    assert _peak_rss_mb() - before < 40


def test_an_xml_entity_bomb_is_refused():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Short Form"
    buffer = io.BytesIO()
    workbook.save(buffer)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs
            target.writestr(item, data)
    assert "XML entity definitions" in _read(out.getvalue())


def test_an_oversized_or_malformed_workbook_gets_a_clear_message():
    assert "a Short Form spreadsheet is at most 2.0" in _read(b"PK" + b"\x00" * (3 * MB))
    assert "not an Excel workbook" in _read(b"%PDF-1.4 certainly not a workbook")


def test_the_registry_file_size_is_checked_before_it_is_read():
    from core.uploads import RefusedUpload
    from providers.application_admin import RegistryUploadForm

    sent = RefusedUpload(name="registry.csv", size=30 * MB, message="dropped while streaming in")
    form = RegistryUploadForm(data={}, files={"file": sent})
    assert not form.is_valid()
    assert "a registry file is at most 25.0" in form.errors["file"][0]
