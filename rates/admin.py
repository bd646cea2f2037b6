"""The rates analyst's tool: categories and seasons as data, filings with one action per
transition (each calling its service), approved schedules read-only."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import (
    ListedInline,
    ReadOnlyAdmin,
    ReadOnlyInline,
    RowActions,
    ServiceWrittenAdmin,
    file_link,
)
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

# The rows each admin acts on (core.admin_actions.RowActions).
_rate_years = RowActions("rate_year")
_filings = RowActions("filing", permissions=["decide"])


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

    open_season = _rate_years.run(
        "Open the filing season (invites last year's holders)",
        services.rate_year_open,
        "Seasons opened: {count}.",
    )
    close_season = _rate_years.run(
        "Close the filing season", services.rate_year_close, "Seasons closed: {count}."
    )

    @admin.action(description="Remind organizations that have not filed", permissions=["change"])
    def send_reminders(self, request, queryset):
        for rate_year in queryset.filter(status=RateYearStatus.OPEN):
            enqueue(tasks.send_filing_reminders, rate_year.pk)
            self.message_user(request, f"Reminders queued for {rate_year.year}.", messages.SUCCESS)


class RateScheduleLineInline(ListedInline):
    model = RateScheduleLine
    readonly_fields = ["category", "amount"]


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


class RateFilingLineInline(ListedInline):
    model = RateFilingLine
    form = RateFilingLineForm
    fields = ["category", "prior_amount", "cap", "requested_amount", "approved_amount"]
    readonly_fields = ["category", "prior_amount", "cap", "requested_amount"]

    def has_change_permission(self, request, obj=None):
        # "Approved amount" is open only while the filing awaits a decision.
        return (
            obj is not None
            and obj.status == FilingStatus.SUBMITTED
            and request.user.has_perm("rates.decide_ratefiling")
        )


class FinancialInline(ReadOnlyInline):
    model = FilingFinancialLine
    readonly_fields = ["kind", "item", "amount"]


class AttachmentInline(ReadOnlyInline):
    model = FilingAttachment
    fields = ["description", "download", "uploaded_by", "uploaded_at"]
    download = file_link("File", name="filename")


@admin.register(RateFiling)
class RateFilingAdmin(ServiceWrittenAdmin, SimpleHistoryAdmin):
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

    def has_decide_permission(self, request):
        return request.user.has_perm("rates.decide_ratefiling")

    approve = _filings.run(
        "Approve (Short Form within the cap, or Long Form as asked)",
        services.filing_approve,
        "Filings approved: {count}.",
    )
    request_information = _filings.ask(
        "Request information from the organization",
        services.filing_request_information,
        _reason_form("What the organization must send (they see this)"),
        "Request information",
        "Information requested: {count}.",
        fields={"reason": "message"},
    )
    approve_at_entered_rates = _filings.ask(
        "Approve at the rates entered in “Approved amount” (Long Form)",
        services.filing_approve_other_rates,
        _reason_form("Why the approved rates differ from those asked"),
        "Approve at other rates",
        "Filings approved at other rates: {count}.",
        fields={"reason": "note"},
    )
    deny = _filings.ask(
        "Deny",
        services.filing_deny,
        _reason_form("Reason for the denial (the organization sees this)"),
        "Deny rate filings",
        "Filings denied: {count}.",
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
