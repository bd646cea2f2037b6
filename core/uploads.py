"""Upload size limits applied while the request body streams in, before any file is kept.

``SizeLimitUploadHandler`` runs first in ``FILE_UPLOAD_HANDLERS``. A file growing past
``UPLOAD_MAX_FILE_BYTES``, or any file of a request whose Content-Length is above
``UPLOAD_MAX_REQUEST_BYTES``, stops being stored: the rest of its bytes are read and dropped (the
worker's memory stays flat) and the form receives a ``RefusedUpload`` in its place, whose
``size`` is what was sent. Every field keeps its value, and the form's usual per-file size check
(``file.size > limit``) puts its clear message beside the field, instead of a 500 or a lost form.

The front server's body limit (nginx ``client_max_body_size``) is the outer bound above this one;
see README "Uploads".
"""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.template.defaultfilters import filesizeformat


class RefusedUpload(UploadedFile):
    """Stands in for a file that was too large to keep: no content, the size that was sent."""

    def __init__(self, *, name: str, size: int, message: str):
        super().__init__(BytesIO(b""), name=name, content_type="application/octet-stream", size=0)
        self.size = size
        self.refused_message = message


def refused_message(upload) -> str | None:
    """The reason ``upload`` was dropped while streaming in, or None."""
    return getattr(upload, "refused_message", None)


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_too_large = bool(
            content_length and content_length > settings.UPLOAD_MAX_REQUEST_BYTES
        )
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.refused = self.request_too_large
        self.seen = 0
        if self.refused:
            # The handlers that store files never hear of this one: no temporary file at all.
            raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        self.seen = start + len(raw_data)
        if not self.refused and self.seen > settings.UPLOAD_MAX_FILE_BYTES:
            self.refused = True
        # None: the chunk goes no further, so the handlers that store files stop receiving it.
        return None if self.refused else raw_data

    def file_complete(self, file_size):
        if not self.refused:
            return None
        if not self.request_too_large:
            # The storing handlers received the first part of this file: drop what they kept
            # (a temporary file is deleted when closed).
            for handler in self.request.upload_handlers if self.request else ():
                partial = getattr(handler, "file", None) if handler is not self else None
                if partial is not None and not partial.closed:
                    partial.close()
        if self.request_too_large:
            message = (
                f"“{self.file_name}” was not kept: everything sent at once is larger than "
                f"{filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES)}. Send smaller files."
            )
        else:
            message = (
                f"“{self.file_name}” is larger than "
                f"{filesizeformat(settings.UPLOAD_MAX_FILE_BYTES)} and was not kept."
            )
        return RefusedUpload(
            name=self.file_name or "file", size=max(self.seen, file_size), message=message
        )
