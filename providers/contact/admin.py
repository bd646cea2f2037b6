"""Licensing staff's review of name change requests: read the request and its proof, approve
(the record takes the new name) or deny (with the reason the provider reads). Registered by
``providers.admin``."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import NoteForm, form_action

from . import services
from .models import NameChangeRequest


class ApprovalNoteForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Optional: kept with the decision and sent to the provider.",
    )


@admin.register(NameChangeRequest)
class NameChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "requested_name", "reason", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["provider"]
    search_fields = ["^provider__last_name", "^last_name", "=provider__certifications__number"]
    ordering = ["-requested_at", "-pk"]
    fields = [
        "provider",
        "first_name",
        "middle_name",
        "last_name",
        "reason",
        "proof",
        "status",
        "requested_at",
        "requested_by",
        "decided_at",
        "decided_by",
        "decision_note",
        "previous_name",
    ]
    readonly_fields = fields  # what the provider asked and what the actions decided
    actions = ["approve", "deny"]

    approve = form_action(
        "Approve (the record takes the new name)…",
        services.name_change_approve,
        row="name_change",
        form_class=ApprovalNoteForm,
        title="Approve the name change",
        message="Approved; the record shows the new name: {count}.",
    )
    deny = form_action(
        "Deny…",
        services.name_change_deny,
        row="name_change",
        form_class=NoteForm,
        title="Deny the name change",
        message="Denied: {count}.",
    )

    def has_add_permission(self, request):
        return False  # providers ask on their contact page, with proof

    def has_delete_permission(self, request, obj=None):
        return False
