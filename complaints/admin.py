"""Staff's tool for complaints: queues per stage and per investigator, filters, search, one
action per transition (with a form where a reason, an outcome or a date is needed), inlines for
notes, evidence and attachments. Every field the workflow decides is read-only.

Confidential: each permission is checked against the complaint roles per object
(``selectors.can_see_complaints``), not Django's model permissions alone, and every opening
of a complaint writes an access row that supervisors read.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ListedInline, ReadOnlyAdmin, ReadOnlyInline, RowActions, file_link
from core.admin_filters import choice_filter
from core.errors import DomainError

from . import selectors, services
from .forms import AssignForm, CloseForm, NoteForm, ReasonForm, TriageForm
from .models import AccessLog, Attachment, Complaint, Evidence, Note


class ComplaintRoleMixin:
    """Investigators and supervisors only, whatever Django permissions say."""

    def has_module_permission(self, request):
        return selectors.can_see_complaints(request.user)

    def has_view_permission(self, request, obj=None):
        return selectors.can_see_complaints(request.user)

    def has_change_permission(self, request, obj=None):
        return selectors.can_see_complaints(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


OverdueFilter = choice_filter(
    "deadline",
    "overdue",
    {
        "yes": ("Overdue", lambda complaints: complaints.overdue()),
        "no": (
            "On time",
            lambda complaints: complaints.exclude(pk__in=Complaint.objects.overdue().values("pk")),
        ),
    },
)


# --- Inlines -----------------------------------------------------------------------------------


class AttachmentInline(ComplaintRoleMixin, ListedInline):
    model = Attachment
    fields = ["download", "size", "uploaded_at"]
    verbose_name_plural = "attachments from the complainant"

    download = file_link(name="original_name")


class EvidenceInline(ComplaintRoleMixin, ListedInline):
    model = Evidence
    fields = ["description", "download", "uploaded_by", "uploaded_at"]

    download = file_link(name="original_name")

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceAddForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["description", "file"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            services.upload_check(file, field="file")
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        return file


class EvidenceAddInline(ComplaintRoleMixin, admin.TabularInline):
    """Adding evidence (saved through services.evidence_add)."""

    model = Evidence
    form = EvidenceAddForm
    extra = 1
    fields = ["description", "file"]
    verbose_name = "new evidence"
    verbose_name_plural = "add evidence (PDF or image)"

    def get_queryset(self, request):
        return Evidence.objects.none()

    def has_add_permission(self, request, obj=None):
        return selectors.can_see_complaints(request.user)


class NoteInline(ComplaintRoleMixin, admin.StackedInline):
    model = Note
    extra = 1
    fields = ["body", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name_plural = "internal notes (never shown outside investigators and supervisors)"

    def has_add_permission(self, request, obj=None):
        return selectors.can_see_complaints(request.user)

    def has_change_permission(self, request, obj=None):
        return False


class AccessLogInline(ReadOnlyInline):
    model = AccessLog
    fields = ["at", "user", "via"]
    verbose_name_plural = "access log (supervisors only)"

    def has_view_permission(self, request, obj=None):
        return selectors.can_supervise_complaints(request.user)


# --- Complaint ---------------------------------------------------------------------------------


def _describe(complaint) -> str:
    """How a selected complaint is listed on an action's form page."""
    return f"{complaint.tracking_number} — {complaint.get_stage_display()}"


# Every action is the investigators' work unless it says "supervise".
_complaints = RowActions("complaint", permissions=["work"], describe=_describe)

DETAIL_FIELDS = [
    (
        "Status",
        [
            "tracking_number",
            "stage",
            "due_on",
            "overdue",
            "investigator",
            "has_jurisdiction",
            "notice_issued_at",
        ],
    ),
    (
        "Subject",
        ["subject_kind", "certification", "organization", "subject_description"],
    ),
    (
        "Complaint",
        [
            "category",
            "incident_date",
            "incident_town",
            "incident_place",
            "narrative",
        ],
    ),
    (
        "Complainant",
        ["anonymous", "complainant_name", "complainant_email", "complainant_phone"],
    ),
    (
        "Outcome",
        [
            "outcome",
            "outcome_summary",
            "effective_from",
            "effective_until",
            "effect_applied",
            "effect_lifted_at",
        ],
    ),
    (
        "Dates",
        [
            "received_at",
            "triaged_at",
            "assigned_at",
            "investigation_started_at",
            "referred_at",
            "closed_at",
        ],
    ),
]


@admin.register(Complaint)
class ComplaintAdmin(ComplaintRoleMixin, SimpleHistoryAdmin):
    change_list_template = "admin/complaints/complaint/change_list.html"
    list_display = [
        "tracking_number",
        "stage",
        "category",
        "subject",
        "investigator",
        "due_on",
        "overdue",
        "outcome",
        "received_at",
    ]
    list_filter = [
        "stage",
        "category",
        OverdueFilter,
        ("investigator", admin.RelatedOnlyFieldListFilter),
        "outcome",
        "subject_kind",
    ]
    search_fields = [
        "tracking_number",
        "certification__number",
        "certification__provider__last_name",
        "organization__legal_name",
        "organization__number",
        "subject_description",
        "complainant_name",
        "complainant_email",
    ]
    list_select_related = ["certification__provider", "organization", "investigator"]
    date_hierarchy = "received_at"
    fieldsets = [(title, {"fields": fields}) for title, fields in DETAIL_FIELDS]
    readonly_fields = [name for _, fields in DETAIL_FIELDS for name in fields]
    inlines = [AttachmentInline, NoteInline, EvidenceInline, EvidenceAddInline, AccessLogInline]
    actions = [
        "triage",
        "assign",
        "take",
        "start_investigation",
        "refer",
        "close",
        "issue_notice",
        "lift_outcome",
    ]

    @admin.display(description="about")
    def subject(self, obj):
        return obj.subject_label

    @admin.display(boolean=True, description="overdue")
    def overdue(self, obj):
        return obj.is_overdue(timezone.localdate())

    # --- access log ---

    def change_view(self, request, object_id, form_url="", extra_context=None):
        complaint = self.get_object(request, object_id)
        if (
            complaint is not None
            and request.method == "GET"
            and self.has_view_permission(request, complaint)
        ):
            services.access_record(complaint=complaint, user=request.user, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        complaint = self.get_object(request, object_id)
        if complaint is None or not self.has_view_permission(request, complaint):
            raise PermissionDenied
        services.access_record(complaint=complaint, user=request.user, via="admin history")
        return super().history_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "queues": selectors.queue_counts()}
        return super().changelist_view(request, extra_context)

    # --- saving: the complaint itself is read-only; notes and evidence go through services ---

    def save_model(self, request, obj, form, change):
        pass  # every field is read-only: changes happen through the actions

    def save_formset(self, request, form, formset, change):
        complaint = form.instance
        # The admin's change message reads these; nothing here is edited or deleted.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form.instance.pk:
                continue
            data = inline_form.cleaned_data
            if formset.model is Note:
                created = services.note_add(
                    complaint=complaint, actor=request.user, body=data["body"]
                )
            elif formset.model is Evidence:
                created = services.evidence_add(
                    complaint=complaint,
                    actor=request.user,
                    file=data["file"],
                    description=data["description"],
                )
            else:
                continue
            formset.new_objects.append(created)

    # --- actions -------------------------------------------------------------------------------

    def has_work_permission(self, request):
        return selectors.can_see_complaints(request.user)

    def has_supervise_permission(self, request):
        return selectors.can_supervise_complaints(request.user)

    triage = _complaints.ask(
        "Triage (jurisdiction yes / no)",
        services.complaint_triage,
        TriageForm,
        "Triage the selected complaints",
        "{count} complaint(s) triaged.",
    )
    assign = _complaints.ask(
        "Assign to an investigator",
        services.complaint_assign,
        AssignForm,
        "Assign the selected complaints",
        "{count} complaint(s) assigned.",
        permissions=["supervise"],
    )
    take = _complaints.run(
        "Take (assign to me)",
        lambda *, complaint, actor: services.complaint_assign(
            complaint=complaint, actor=actor, investigator=actor
        ),
        "{count} complaint(s) assigned to you.",
    )
    start_investigation = _complaints.run(
        "Open the investigation",
        services.complaint_start_investigation,
        "{count} complaint(s) under investigation.",
    )
    refer = _complaints.ask(
        "Refer for legal action",
        services.complaint_refer,
        NoteForm,
        "Refer the selected complaints for legal action",
        "{count} complaint(s) referred.",
    )
    close = _complaints.ask(
        "Close with an outcome",
        services.complaint_close,
        CloseForm,
        "Close the selected complaints",
        "{count} complaint(s) closed.",
    )
    issue_notice = _complaints.run(
        "Issue the notice to the subject",
        services.complaint_issue_notice,
        "{count} complaint(s) noticed to their subject.",
    )
    lift_outcome = _complaints.ask(
        "Lift the suspension or revocation",
        services.complaint_lift_outcome,
        ReasonForm,
        "Lift the outcome of the selected complaints",
        "{count} complaint(s) lifted.",
        permissions=["supervise"],
    )


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Who opened which complaint, when: supervisors only."""

    list_display = ["at", "user", "complaint", "via"]
    list_filter = ["via", ("user", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["complaint__tracking_number", "user__email"]
    list_select_related = ["user", "complaint"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return selectors.can_supervise_complaints(request.user)

    def has_view_permission(self, request, obj=None):
        return selectors.can_supervise_complaints(request.user)
