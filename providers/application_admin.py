"""The staff's tool for initial certification and reinstatement applications (the same review
actions as renewals, each calling one service) and the registry import (upload a CSV; every
run is kept). Decided and declared fields are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import (
    ReviewActions,
    admin_page,
    admin_url,
    related_column,
    review_fieldset,
    review_services,
)
from core.admin_sensitive import SensitiveFieldsAdminMixin

from .admin_forms import CONTACT_FIELDSET, ReturnForm
from .applications import initial, reinstatement
from .models import InitialApplication, RegistryImport, ReinstatementApplication
from .registry import (
    OPTIONAL_COLUMNS,
    REGISTRY_MAX_BYTES,
    REQUIRED_COLUMNS,
    RegistryImportRefused,
    registry_import,
)


@admin.register(InitialApplication)
class InitialApplicationAdmin(SensitiveFieldsAdminMixin, ReviewActions, SimpleHistoryAdmin):
    SERVICES = review_services(initial, "initial")
    return_form = ReturnForm
    actions = ReviewActions.actions
    list_display = ["pk", "full_name", "level", "status", "complete_on", "waiting", "certification"]
    list_filter = ["status", "level", "return_reasons"]
    search_fields = [
        "last_name",
        "first_name",
        "nremt_number",
        "course_approval_number",
        "applicant__email",
    ]
    list_select_related = ["certification"]
    ordering = ["complete_on", "pk"]
    fieldsets = [
        (None, {"fields": ["applicant", "level", "status"]}),
        (
            "Identity",
            {"fields": ["first_name", "middle_name", "last_name", "date_of_birth", "ssn_last4"]},
        ),
        CONTACT_FIELDSET,
        (
            "Education",
            {"fields": ["course_title", "course_approval_number", "course_completed_on"]},
        ),
        ("National exam", {"fields": ["nremt_number", "exam_passed_on"]}),
        ("Cards", {"fields": ["cpr_card", "cpr_expires_on", "acls_card", "acls_expires_on"]}),
        ("Attestations", {"fields": ["background_attested_at", "attestation_name", "attested_at"]}),
        review_fieldset("provider", "certification"),
    ]

    @admin.display(description="Name", ordering="last_name")
    def full_name(self, obj):
        return obj.full_name or "—"


@admin.register(ReinstatementApplication)
class ReinstatementApplicationAdmin(SensitiveFieldsAdminMixin, ReviewActions, SimpleHistoryAdmin):
    SERVICES = review_services(reinstatement, "reinstatement")
    return_form = ReturnForm
    actions = ReviewActions.actions
    list_display = ["certification", "provider_name", "status", "complete_on", "waiting"]
    list_filter = ["status", "certification__level", "return_reasons"]
    search_fields = [
        "certification__number",
        "certification__provider__last_name",
        "certification__provider__first_name",
    ]
    list_select_related = ["certification__provider"]
    ordering = ["complete_on", "pk"]
    fieldsets = [
        (None, {"fields": ["certification", "applicant", "status"]}),
        ("Attestation", {"fields": ["attestation_name", "attested_at"]}),
        review_fieldset("previous_expires_on", "new_expires_on"),
    ]

    provider_name = related_column(
        "Provider",
        "certification.provider.full_name",
        ordering="certification__provider__last_name",
    )


class RegistryUploadForm(forms.Form):
    file = forms.FileField(
        label="Registry file (CSV, UTF-8)",
        help_text="Columns: "
        + ", ".join(REQUIRED_COLUMNS)
        + "; optional: "
        + ", ".join(OPTIONAL_COLUMNS)
        + ". See docs/education.md.",
    )

    def clean_file(self):
        # Size first, before the file is read into memory for parsing.
        upload = self.cleaned_data["file"]
        if upload.size > REGISTRY_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; a registry file is at most "
                f"{filesizeformat(REGISTRY_MAX_BYTES)}. Split it and import each part."
            )
        return upload


@admin.register(RegistryImport)
class RegistryImportAdmin(admin.ModelAdmin):
    """Every run of the registry import. "Add" is the upload: all or nothing, every bad row
    listed by line and column (django-import-export's preview is not used: it would show the
    file's SSNs back on the page)."""

    list_display = [
        "started_at",
        "file_name",
        "imported_by",
        "succeeded",
        "rows",
        "certifications_created",
        "certifications_updated",
        "error_count",
    ]
    list_filter = ["succeeded"]
    search_fields = ["file_name"]
    readonly_fields = [f.name for f in RegistryImport._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return request.user.has_perm("providers.add_registryimport")

    def get_urls(self):
        return [
            admin_url(self, "upload/", self.upload_view, "providers_registryimport_upload"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:providers_registryimport_upload")

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegistryUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = registry_import(
                    data=upload.read(), file_name=upload.name, actor=request.user
                )
            except RegistryImportRefused as refused:
                errors = refused.errors
                self.message_user(
                    request,
                    f"{len(errors)} error(s) in {upload.name}; nothing was imported.",
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    f"Imported {result.rows} rows: {result.certifications_created} certifications "
                    f"created, {result.certifications_updated} updated, {result.unchanged} "
                    "unchanged.",
                    messages.SUCCESS,
                )
                return redirect("admin:providers_registryimport_changelist")
        return admin_page(
            self,
            request,
            "providers/admin_registry_upload.html",
            title="Import the registry",
            form=form,
            errors=errors,
        )
