"""Private files: every stored upload and generated document, reached only through one checked
download view.

Three parts, used by every app:

* ``PrivateFileField(kind=..., upload_to="private/<folder>", original_name_field=...)`` on the
  model: files are stored under a random name (``<uuid>.<extension the content proves>``) in the
  kind's folder; the person's own file name is kept in ``original_name_field`` for display and
  for the download's file name; ``field_file.url`` is the checked download URL, so templates and
  the admin's "Currently: ..." link go through the check without knowing about it.
* ``FILE_RULES = {kind: FileRule(can_download=...)}`` in ``<app>/files.py``: who may have the
  file of one object (the same per-object rule the object's page uses). A kind without a rule is
  a configuration error (system check ``core.E001``). ``anyone`` makes a public kind.
* ``download_response(request, kind, pk)``: load the owning object, apply the rule, answer 404 to
  everyone else (ids are not confirmed), then serve with ``attachment``, ``nosniff`` and a
  ``sandbox`` CSP, streamed by Django, handed to the front server (X-Accel-Redirect /
  X-Sendfile) or redirected to a short-lived presigned URL (S3 storage), per
  ``PRIVATE_FILES_SERVE``.

Content decides the type: PDF, PNG and JPEG only (``content_kind``), never the name or the
browser's claimed type.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any, cast

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, ValidationError
from django.core.files import File
from django.db import models
from django.db.models.fields.files import FieldFile, FileDescriptor
from django.db.models.signals import post_init
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.encoding import escape_uri_path

logger = logging.getLogger(__name__)

# --- What a file is, from its content ---------------------------------------------------------

PDF, PNG, JPEG = "pdf", "png", "jpg"
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
}
UNKNOWN_EXTENSION = "bin"
# Files the portal writes itself (generated documents), never uploads: a field that holds them
# names the extra types it may store (``PrivateFileField(generated_types=...)``); the extension
# is then the one the portal gave the file, as nothing outside wrote it.
GENERATED_CONTENT_TYPES = {"xml": "application/xml"}
REFUSED_TYPE_MESSAGE = "must be a PDF, PNG or JPEG"

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
# Browsers sniff markup in the first bytes of a response; a "PDF" whose first kilobyte holds
# HTML, SVG or script is a polyglot made to be rendered as a page, never a real document.
SNIFF_WINDOW = 1024
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|form|style)\b"
    rb"|javascript:",
    re.IGNORECASE,
)


def _read_head(file, size: int) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        return file.read(size) or b""
    finally:
        file.seek(position)


def signature_kind(head: bytes) -> str | None:
    """The type the first bytes announce (no deeper check): naming, never trusting."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def content_kind(file) -> str | None:
    """``"pdf"``, ``"png"`` or ``"jpg"`` when the content proves it, else None.

    Strict on purpose: the signature must be at byte 0 (PDF readers tolerate junk before
    ``%PDF-``, which is what polyglots use), the first kilobyte must hold no HTML/SVG/script
    markup, and the whole file must parse: a PDF with pypdf (at least one page), an image with
    Pillow (``verify()``, and the format must match the signature)."""
    head = _read_head(file, SNIFF_WINDOW)
    kind = signature_kind(head)
    if kind is None or _MARKUP.search(head):
        return None
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        if kind == PDF:
            return kind if _pdf_parses(file) else None
        return kind if _image_parses(file, kind) else None
    finally:
        file.seek(position)


def _pdf_parses(file) -> bool:
    from pypdf import PdfReader

    # pypdf logs a warning for each flaw it works around; the verdict is all we need here.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)
    try:
        return len(PdfReader(file, strict=False).pages) >= 1
    except Exception:  # noqa: BLE001 - any parse failure means "not a PDF we accept"
        return False
    finally:
        pypdf_logger.setLevel(level)


def _image_parses(file, kind: str) -> bool:
    from PIL import Image

    try:
        with Image.open(file) as image:
            image.verify()
            found = image.format
    except Exception:  # noqa: BLE001 - any decode failure means "not an image we accept"
        return False
    return found == {PNG: "PNG", JPEG: "JPEG"}[kind]


def upload_problem(file, *, allowed: tuple[str, ...] = (PDF, PNG, JPEG)) -> str | None:
    """The sentence to show beside the field when ``file`` is refused, or None."""
    from .uploads import refused_message

    too_large = refused_message(file)
    if too_large:
        return too_large
    kind = content_kind(file)
    if kind in allowed:
        return None
    if allowed == (PDF,):
        return "The file must be a PDF document."
    return f"The file {REFUSED_TYPE_MESSAGE}."


def validate_upload(value) -> None:
    """Form and model validator: the content must be a PDF, PNG or JPEG."""
    file = new_upload(value)
    if file is None:
        return
    problem = upload_problem(file)
    if problem:
        raise ValidationError(problem, code="file_type")


def validate_image_upload(value) -> None:
    file = new_upload(value)
    if file is None:
        return
    problem = upload_problem(file, allowed=(PNG, JPEG))
    if problem:
        if problem.endswith(f"{REFUSED_TYPE_MESSAGE}."):
            problem = "The photo must be a PNG or JPEG image."
        raise ValidationError(problem, code="file_type")


def validate_pdf_upload(value) -> None:
    file = new_upload(value)
    if file is None:
        return
    problem = upload_problem(file, allowed=(PDF,))
    if problem:
        raise ValidationError(problem, code="file_type")


def new_upload(value):
    """The file to inspect, or None when ``value`` is a file already stored (unchanged)."""
    if not value:
        return None
    if isinstance(value, FieldFile):
        if getattr(value, "_committed", True):
            return None
        return value.file
    return value


def minimal_pdf() -> bytes:
    """A valid one-page blank PDF: demo data and tests store real documents, not fakes."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- The model field ----------------------------------------------------------------------------


class PrivateFieldFile(FieldFile):
    @property
    def url(self) -> str:
        """The checked download view of the owning object, never a storage URL."""
        if not self:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")
        if self.instance.pk is None:
            raise ValueError("The file's object is not saved yet, so it has no download URL.")
        return download_url(cast(PrivateFileField, self.field).kind, self.instance.pk)

    @property
    def original_name(self) -> str:
        name_field = cast(PrivateFileField, self.field).original_name_field
        stored = getattr(self.instance, name_field, "") or ""
        return stored or os.path.basename(self.name or "")

    @property
    def extension(self) -> str:
        return os.path.splitext(self.name or "")[1].lstrip(".").lower()

    def save(self, name, content, save=True):
        # Whatever the caller called it, the stored name is random and carries the extension
        # the content proves; the caller's name is kept as the original name.
        cast(PrivateFileField, self.field).remember_original_name(self.instance, name or "")
        content_file = content if hasattr(content, "seek") else File(content)
        extension = content_kind(content_file) or self._generated_extension(name or "")
        super().save(f"{uuid.uuid4().hex}.{extension}", content, save)

    def _generated_extension(self, name: str) -> str:
        named = os.path.splitext(name)[1].lstrip(".").lower()
        allowed = cast(PrivateFileField, self.field).generated_types
        return named if named in allowed else UNKNOWN_EXTENSION

    @property
    def content_type(self) -> str:
        extension = self.extension
        if extension in CONTENT_TYPES:
            return CONTENT_TYPES[extension]
        if extension in cast(PrivateFileField, self.field).generated_types:
            return GENERATED_CONTENT_TYPES[extension]
        return "application/octet-stream"


class PrivateFileDescriptor(FileDescriptor):
    def __set__(self, instance, value):
        super().__set__(instance, value)
        if isinstance(value, File) and not isinstance(value, FieldFile):
            cast(PrivateFileField, self.field).remember_original_name(instance, value.name or "")


class _ShownFile:
    """What a file widget shows for a stored file: the checked URL, and the person's own name
    rather than the random stored one."""

    def __init__(self, field_file: PrivateFieldFile):
        self.url = field_file.url
        self.name = field_file.original_name

    def __str__(self):
        return self.name


class _ShowsOriginalName(forms.ClearableFileInput):
    def format_value(self, value):
        if self.is_initial(value) and isinstance(value, PrivateFieldFile) and value.instance.pk:
            return _ShownFile(value)
        return super().format_value(value)


class PrivateClearableFileInput(_ShowsOriginalName):
    pass


class PrivateAdminFileWidget(_ShowsOriginalName, AdminFileWidget):
    pass


class PrivateFileField(models.FileField):
    """A ``FileField`` whose files are private (see the module docstring).

    ``kind`` names the file kind in URLs and in ``FILE_RULES``; ``upload_to`` is the kind's
    folder (a plain string, no person's data in it); ``original_name_field`` names the model's
    CharField that keeps the uploaded file's own name (optional: without it the download is
    named by the rule's ``filename`` or the stored name). ``generated_types`` lists the extra
    extensions (from ``GENERATED_CONTENT_TYPES``) a field of portal-written files may store."""

    attr_class = PrivateFieldFile
    descriptor_class = PrivateFileDescriptor
    default_validators = [validate_upload]

    def __init__(
        self,
        *args,
        kind: str,
        original_name_field: str = "",
        generated_types: tuple[str, ...] = (),
        **kwargs,
    ):
        self.kind = kind
        self.original_name_field = original_name_field
        unknown = set(generated_types) - set(GENERATED_CONTENT_TYPES)
        if unknown:
            raise ImproperlyConfigured(f"No content type is known for {sorted(unknown)}.")
        self.generated_types = tuple(generated_types)
        super().__init__(*args, **kwargs)

    @property
    def validators(self):
        # A field's own content validator (PDF only, images only) replaces the default one.
        return list(getattr(self, "_validators", ())) or list(self.default_validators)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if self.original_name_field:
            kwargs["original_name_field"] = self.original_name_field
        return name, path, args, kwargs

    def formfield(self, form_class=None, choices_form_class=None, **kwargs):
        widget = kwargs.get("widget")
        if widget is AdminFileWidget or isinstance(widget, AdminFileWidget):
            kwargs["widget"] = PrivateAdminFileWidget
        elif widget is None:
            kwargs["widget"] = PrivateClearableFileInput
        # FileField.formfield supplies forms.FileField itself: pass a form class only if given.
        if form_class is not None:
            kwargs["form_class"] = form_class
        if choices_form_class is not None:
            kwargs["choices_form_class"] = choices_form_class
        return super().formfield(**kwargs)

    # Field and FileField's stubs disagree on this signature; Django passes private_only only.
    def contribute_to_class(  # type: ignore[override]
        self, cls: type[models.Model], name: str, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract and self.original_name_field:
            # Model(file=upload, ...) sets the name column after this field when it is declared
            # later; fill it once the instance is built (like ImageField's dimension fields).
            post_init.connect(self._fill_original_name, sender=cls)

    def _fill_original_name(self, instance, **kwargs):
        value = instance.__dict__.get(self.attname)
        is_new_upload = isinstance(value, File) and not isinstance(value, FieldFile)
        if is_new_upload and not getattr(instance, self.original_name_field, ""):
            self.remember_original_name(instance, value.name or "")

    def remember_original_name(self, instance, name: str) -> None:
        if not self.original_name_field or not name:
            return
        limit = instance._meta.get_field(self.original_name_field).max_length or 255
        setattr(instance, self.original_name_field, os.path.basename(name)[:limit])


# --- Who may have a file --------------------------------------------------------------------------


def anyone(user, obj) -> bool:
    """``can_download`` of a public kind (e.g. a published report)."""
    return True


@dataclass(frozen=True)
class FileRule:
    """Who may download the file of one object of a kind.

    ``can_download(user, obj)`` is the per-object rule (the one the object's page uses).
    ``queryset(model)`` may add ``select_related`` for the rule. ``filename(obj)`` names the
    download when the model keeps no original name. ``on_download(user, obj)`` runs after a
    granted check (e.g. complaints log every access)."""

    can_download: Callable[[Any, Any], bool]
    queryset: Callable[[type[models.Model]], models.QuerySet] | None = None
    filename: Callable[[Any], str] | None = None
    on_download: Callable[[Any, Any], None] | None = None

    @property
    def public(self) -> bool:
        return self.can_download is anyone


@dataclass(frozen=True)
class FileKind:
    kind: str
    model: type[models.Model]
    field: PrivateFileField
    rule: FileRule | None


@cache
def _rules() -> dict[str, FileRule]:
    found: dict[str, FileRule] = {}
    for app_config in apps.get_app_configs():
        try:
            module = import_module(f"{app_config.name}.files")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.files":
                raise
            continue
        for kind, rule in getattr(module, "FILE_RULES", {}).items():
            if kind in found:
                raise ImproperlyConfigured(f"File kind {kind!r} has two rules.")
            found[kind] = rule
    return found


@cache
def file_kinds() -> dict[str, FileKind]:
    """Every private file kind: where it is stored (model, field) and who may have it."""
    rules = _rules()
    kinds: dict[str, FileKind] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, PrivateFileField) and field.model is model:
                if field.kind in kinds:
                    raise ImproperlyConfigured(f"File kind {field.kind!r} is used twice.")
                kinds[field.kind] = FileKind(field.kind, model, field, rules.get(field.kind))
    return kinds


@checks.register()
def check_every_kind_has_a_rule(app_configs=None, **kwargs):
    errors = []
    kinds = file_kinds()
    for found in kinds.values():
        if found.rule is None:
            label = f"{found.model._meta.label}.{found.field.name}"
            errors.append(
                checks.Error(
                    f"Private file kind {found.kind!r} ({label}) has no FileRule in its app's "
                    "files.py.",
                    id="core.E001",
                )
            )
    for name in _rules():
        if name not in kinds:
            errors.append(
                checks.Error(f"FILE_RULES names {name!r}, which no field uses.", id="core.E002")
            )
    return errors


def download_url(kind: str, pk) -> str:
    return reverse("core:file", kwargs={"kind": kind, "pk": pk})


def _object_or_404(kind: FileKind, pk):
    rule = kind.rule
    queryset = (
        rule.queryset(kind.model) if rule and rule.queryset else kind.model._default_manager.all()
    )
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def checked_file(*, kind: str, pk, user):
    """(object, its file, the rule) when ``user`` may have it; 404 for anyone else, for an
    unknown kind or id, and for an object without a file (nothing is confirmed)."""
    found = file_kinds().get(kind)
    if found is None or found.rule is None:
        raise Http404
    obj = _object_or_404(found, pk)
    if not found.rule.can_download(user, obj):
        raise Http404
    field_file = getattr(obj, found.field.attname)
    if not field_file:
        raise Http404
    return obj, field_file, found.rule


# --- Serving ------------------------------------------------------------------------------------


def download_name(obj, field_file: PrivateFieldFile, rule: FileRule) -> str:
    if rule.filename is not None:
        return rule.filename(obj)
    name = field_file.original_name
    # The name is the person's; the type is what the content proved when it was stored.
    stem = os.path.splitext(name)[0] or "file"
    extension = field_file.extension
    return f"{stem}.{extension}" if extension else stem


def _safe_headers(response, *, content_type: str, filename: str) -> None:
    response["Content-Type"] = content_type
    response["Content-Disposition"] = _disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, the file runs in an opaque origin: no cookies, no scripts.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    ascii_name = ascii_name.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=utf-8''{escape_uri_path(filename)}"


def serve(request, field_file: PrivateFieldFile, *, filename: str) -> HttpResponseBase:
    """The response for a file the caller has already checked."""
    content_type = field_file.content_type
    mode = settings.PRIVATE_FILES_SERVE
    storage = field_file.storage
    name = field_file.name or ""
    if mode == "storage-redirect":
        # S3-compatible storage (django-storages): a presigned URL living a few minutes, made
        # only after the check, with the same headers forced on the object's response.
        presign: Any = storage.url  # S3Storage.url takes parameters and expire
        url = presign(
            name,
            parameters={
                "ResponseContentDisposition": _disposition(filename),
                "ResponseContentType": content_type,
            },
            expire=settings.PRIVATE_FILES_URL_EXPIRE_SECONDS,
        )
        redirect = HttpResponseRedirect(url)
        redirect["Cache-Control"] = "private, no-store"
        redirect["Referrer-Policy"] = "no-referrer"
        return redirect
    if not name or not storage.exists(name):
        raise Http404
    if mode in ("x-accel-redirect", "x-sendfile"):
        hand_off = HttpResponse()
        if mode == "x-accel-redirect":
            prefix = settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/")
            hand_off["X-Accel-Redirect"] = f"{prefix}/{escape_uri_path(name)}"
        else:
            hand_off["X-Sendfile"] = storage.path(name)
        _safe_headers(hand_off, content_type=content_type, filename=filename)
        return hand_off
    streamed = FileResponse(field_file.open("rb"))
    _safe_headers(streamed, content_type=content_type, filename=filename)
    return streamed


def download_response(request, *, kind: str, pk):
    obj, field_file, rule = checked_file(kind=kind, pk=pk, user=request.user)
    if rule.on_download is not None:
        rule.on_download(request.user, obj)
    return serve(request, field_file, filename=download_name(obj, field_file, rule))


# --- Moving files stored before this (data migrations) -----------------------------------------


def rename_stored_files(apps_registry, model_label: str, field_name: str) -> int:
    """Move every file of ``model_label.field_name`` to a random name in its kind's folder,
    keeping its own name in the original-name field. For a data migration: idempotent (a file
    already in the folder is left alone), and a row whose file is missing keeps its name."""
    model = apps_registry.get_model(model_label)
    field = model._meta.get_field(field_name)
    folder = str(field.upload_to).rstrip("/")
    name_field = getattr(field, "original_name_field", "")
    storage = field.storage
    moved = 0
    rows = model._default_manager.exclude(**{field_name: ""}).exclude(**{field_name: None})
    for row in rows.iterator():
        old = getattr(row, field_name).name
        if old.startswith(folder + "/"):
            continue
        changes: dict[str, str] = {}
        if name_field and not getattr(row, name_field):
            changes[name_field] = os.path.basename(old)[:255]
        if storage.exists(old):
            with storage.open(old, "rb") as handle:
                extension = content_kind(handle) or UNKNOWN_EXTENSION
                new = storage.save(f"{folder}/{uuid.uuid4().hex}.{extension}", handle)
            storage.delete(old)
            changes[field_name] = new
            moved += 1
        if changes:
            model._default_manager.filter(pk=row.pk).update(**changes)
    return moved


def rename_migration(*pairs: tuple[str, str]):
    """``migrations.RunPython(rename_migration(("providers.CERecord", "certificate")), noop)``"""

    def forwards(apps_registry, schema_editor):
        for model_label, field_name in pairs:
            rename_stored_files(apps_registry, model_label, field_name)

    return forwards
