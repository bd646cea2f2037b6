"""The rates analyst's tool: categories and seasons as data, filings with one action per
transition (each calling its service), approved schedules read-only."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ReadOnlyAdmin, form_action, service_action
from core.outbox import enqueue

from . import services, tasks
from .models import (
    FilingAttachment,
    FilingFinancialLine,
    FilingStatus,
    RateCategory,
    RateFiling,
    RateFilingLine,
    RateInvitation,
    RateSchedule,
    RateScheduleLine,
    RateYear,
    RateYearStatus,
)


class ReasonForm(forms.Form):
    """The reason or message a filing decision sends the organization, labelled per action."""

    label = "Reason"
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.label


def _reason_form(label: str) -> type[ReasonForm]:
    return type("ReasonForm", (ReasonForm,), {"label": label})


@admin.register(RateCategory)
class RateCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "unit", "sort_order", "is_active"]
    list_editable = ["sort_order"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(RateYear)
class RateYearAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "cpi_percent_display",
        "status",
        "filing_opens_on",
        "filing_due_on",
        "dashboard",
    ]
    list_filter = ["status"]
    actions = ["open_season", "close_season", "send_reminders"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "opened_at"]
        if obj is not None and obj.status != RateYearStatus.PLANNED:
            # Caps already shown to organizations must not move under them.
            fields += ["year", "cpi_factor"]
        return fields

    @admin.display(description="CPI")
    def cpi_percent_display(self, obj):
        return f"{obj.cpi_percent}%"

    @admin.display(description="Season dashboard")
    def dashboard(self, obj):
        return format_html(
            '<a href="{}">Dashboard</a>', reverse("rates:staff-season", args=[obj.year])
        )

    open_season = service_action(
        "Open the filing season (invites last year's holders)",
        services.rate_year_open,
        row="rate_year",
        message="Seasons opened: {count}.",
    )
    close_season = service_action(
        "Close the filing season",
        services.rate_year_close,
        row="rate_year",
        message="Seasons closed: {count}.",
    )

    @admin.action(description="Remind organizations that have not filed", permissions=["change"])
    def send_reminders(self, request, queryset):
        for rate_year in queryset.filter(status=RateYearStatus.OPEN):
            enqueue(tasks.send_filing_reminders, rate_year.pk)
            self.message_user(request, f"Reminders queued for {rate_year.year}.", messages.SUCCESS)


class RateScheduleLineInline(admin.TabularInline):
    model = RateScheduleLine
    extra = 0
    can_delete = False
    readonly_fields = ["category", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RateSchedule)
class RateScheduleAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Written only by approval: read-only here."""

    list_display = ["organization", "year", "kind", "approved_at", "source_filing"]
    list_filter = ["year", "kind"]
    search_fields = ["organization__legal_name", "organization__number"]
    list_select_related = ["organization", "year", "source_filing"]
    inlines = [RateScheduleLineInline]


class RateFilingLineForm(forms.ModelForm):
    class Meta:
        model = RateFilingLine
        fields = ["approved_amount"]


class RateFilingLineInline(admin.TabularInline):
    model = RateFilingLine
    form = RateFilingLineForm
    extra = 0
    can_delete = False
    fields = ["category", "prior_amount", "cap", "requested_amount", "approved_amount"]
    readonly_fields = ["category", "prior_amount", "cap", "requested_amount"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # "Approved amount" is open only while the filing awaits a decision.
        return (
            obj is not None
            and obj.status == FilingStatus.SUBMITTED
            and request.user.has_perm("rates.decide_ratefiling")
        )


class FinancialInline(admin.TabularInline):
    model = FilingFinancialLine
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "item", "amount"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = FilingAttachment
    extra = 0
    can_delete = False
    fields = ["description", "download", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description="File")
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.file.url, obj.filename)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RateFiling)
class RateFilingAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "year", "form", "status", "decision", "submitted_at"]
    list_filter = ["year", "form", "status", "decision"]
    search_fields = ["organization__legal_name", "organization__number"]
    list_select_related = ["organization", "year"]
    date_hierarchy = "submitted_at"
    inlines = [RateFilingLineInline, FinancialInline, AttachmentInline]
    actions = ["approve", "request_information", "approve_at_entered_rates", "deny"]
    # Everything on a filing is the organization's or a decision's: nothing is typed here
    # except "approved amount" on the lines, for approving at other rates.
    readonly_fields = [
        "organization", "year", "form", "status", "decision", "decision_note",
        "information_request", "submitted_at", "decided_at", "decided_by",
        "certified_by_name", "certified_at", "fiscal_year_end", "emergency_responses",
        "non_emergency_transports", "unit_hours", "justification", "created_at", "updated_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm("rates.decide_ratefiling")

    approve = service_action(
        "Approve (Short Form within the cap, or Long Form as asked)",
        services.filing_approve,
        row="filing",
        message="Filings approved: {count}.",
        permissions=["decide"],
    )
    request_information = form_action(
        "Request information from the organization",
        services.filing_request_information,
        row="filing",
        fields={"reason": "message"},
        form_class=_reason_form("What the organization must send (they see this)"),
        title="Request information",
        message="Information requested: {count}.",
        permissions=["decide"],
    )
    approve_at_entered_rates = form_action(
        "Approve at the rates entered in “Approved amount” (Long Form)",
        services.filing_approve_other_rates,
        row="filing",
        fields={"reason": "note"},
        form_class=_reason_form("Why the approved rates differ from those asked"),
        title="Approve at other rates",
        message="Filings approved at other rates: {count}.",
        permissions=["decide"],
    )
    deny = form_action(
        "Deny",
        services.filing_deny,
        row="filing",
        form_class=_reason_form("Reason for the denial (the organization sees this)"),
        title="Deny rate filings",
        message="Filings denied: {count}.",
        permissions=["decide"],
    )


@admin.register(RateInvitation)
class RateInvitationAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "created_at", "email_sent_at"]
    list_filter = ["year"]
    search_fields = ["organization__legal_name", "organization__number"]
    list_select_related = ["organization", "year"]
    readonly_fields = ["organization", "year", "created_at", "email_sent_at"]

    def has_add_permission(self, request):
        return False
