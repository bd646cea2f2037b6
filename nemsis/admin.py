"""Staff's tool for the scope of practice, the collected elements and the DEM files sent."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError
from providers.rules import Level

from . import services
from .documents import STATE_DATASET_KIND
from .models import CollectedElement, DemUpload, ScopeItem
from .rules import element_problem


class ScopeItemForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        choices=Level.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The certification levels that may perform it.",
    )

    class Meta:
        model = ScopeItem
        fields = ["kind", "code", "name", "levels", "is_active", "note"]

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip()

    def clean(self):
        cleaned = super().clean()
        # The one check (services.scope_item_problems); each message goes beside its field.
        problems = services.scope_item_problems(
            kind=cleaned.get("kind"), code=cleaned.get("code", ""), levels=cleaned.get("levels")
        )
        for field, message in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned


@admin.register(ScopeItem)
class ScopeItemAdmin(SimpleHistoryAdmin):
    form = ScopeItemForm
    list_display = ["name", "kind", "code", "levels_display", "is_active", "is_demo"]
    list_filter = ["kind", "is_active", "is_demo"]
    search_fields = ["name", "code"]
    readonly_fields = ["is_demo"]

    @admin.display(description="levels")
    def levels_display(self, item):
        return ", ".join(item.level_labels())

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "state_dataset_kind": STATE_DATASET_KIND,
            "scope_page_url": reverse("nemsis:scope-of-practice"),
        }
        return super().changelist_view(request, extra_context)


class CollectedElementForm(forms.ModelForm):
    class Meta:
        model = CollectedElement
        fields = ["number", "note"]

    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        if problem := element_problem(number):
            raise forms.ValidationError(problem)
        return number


@admin.register(CollectedElement)
class CollectedElementAdmin(SimpleHistoryAdmin):
    form = CollectedElementForm
    list_display = ["number", "note"]
    search_fields = ["number", "note"]


@admin.register(DemUpload)
class DemUploadAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "status", "created_at", "uploaded_by", "report_link"]
    list_filter = ["status"]
    search_fields = ["organization__legal_name", "organization__number", "agency_number"]
    list_select_related = ["organization", "uploaded_by"]
    readonly_fields = [
        field.name for field in DemUpload._meta.fields if field.name not in ("id", "file")
    ] + ["report_link"]
    exclude = ["file"]  # private: read only by the portal, never offered for download here
    actions = ["confirm"]

    def has_add_permission(self, request):
        return False  # files arrive through the organization's upload page

    @admin.display(description="report")
    def report_link(self, upload):
        return format_html('<a href="{}">Report</a>', upload.get_absolute_url())

    @admin.action(
        description="Confirm the selected checked files (update rosters, retire vehicles)"
    )
    def confirm(self, request, queryset):
        for upload in queryset:
            try:
                services.dem_upload_confirm(upload=upload, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{upload}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{upload}: confirmed.", messages.SUCCESS)
