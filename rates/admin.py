"""The rates analyst's tool: categories and seasons as data, filings with one action per
transition (each calling its service), approved schedules read-only."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import run_for_each

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


def _run_each(modeladmin, request, queryset, action, done: str):
    run_for_each(modeladmin, request, queryset, action, message=lambda count: f"{done}: {count}.")


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))


def _with_reason(modeladmin, request, queryset, *, title, label, action, done):
    """An action that asks for a reason on an intermediate page first."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    form.fields["reason"].label = label
    if "apply" in request.POST and form.is_valid():
        reason = form.cleaned_data["reason"]
        _run_each(modeladmin, request, queryset, lambda obj: action(obj, reason), done)
        return None
    return TemplateResponse(
        request,
        "rates/admin/reason_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action_name": request.POST.get("action"),
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


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

    @admin.action(
        description="Open the filing season (invites last year's holders)", permissions=["change"]
    )
    def open_season(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda year: services.rate_year_open(rate_year=year, actor=request.user),
            "Seasons opened",
        )

    @admin.action(description="Close the filing season", permissions=["change"])
    def close_season(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda year: services.rate_year_close(rate_year=year, actor=request.user),
            "Seasons closed",
        )

    @admin.action(description="Remind organizations that have not filed", permissions=["change"])
    def send_reminders(self, request, queryset):
        for rate_year in queryset.filter(status=RateYearStatus.OPEN):
            tasks.send_filing_reminders.delay(rate_year.pk)
            self.message_user(request, f"Reminders queued for {rate_year.year}.", messages.SUCCESS)


class RateScheduleLineInline(admin.TabularInline):
    model = RateScheduleLine
    extra = 0
    can_delete = False
    readonly_fields = ["category", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RateSchedule)
class RateScheduleAdmin(SimpleHistoryAdmin):
    """Written only by approval: read-only here."""

    list_display = ["organization", "year", "kind", "approved_at", "source_filing"]
    list_filter = ["year", "kind"]
    search_fields = ["organization__legal_name", "organization__number"]
    list_select_related = ["organization", "year", "source_filing"]
    inlines = [RateScheduleLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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

    @admin.action(
        description="Approve (Short Form within the cap, or Long Form as asked)",
        permissions=["decide"],
    )
    def approve(self, request, queryset):
        _run_each(
            self,
            request,
            queryset,
            lambda filing: services.filing_approve(filing=filing, actor=request.user),
            "Filings approved",
        )

    @admin.action(description="Request information from the organization", permissions=["decide"])
    def request_information(self, request, queryset):
        return _with_reason(
            self, request, queryset,
            title="Request information",
            label="What the organization must send (they see this)",
            action=lambda filing, reason: services.filing_request_information(filing=filing, actor=request.user, message=reason),
            done="Information requested",
        )  # fmt: skip

    @admin.action(
        description="Approve at the rates entered in “Approved amount” (Long Form)",
        permissions=["decide"],
    )
    def approve_at_entered_rates(self, request, queryset):
        return _with_reason(
            self, request, queryset,
            title="Approve at other rates",
            label="Why the approved rates differ from those asked",
            action=lambda filing, reason: services.filing_approve_other_rates(filing=filing, actor=request.user, note=reason),
            done="Filings approved at other rates",
        )  # fmt: skip

    @admin.action(description="Deny", permissions=["decide"])
    def deny(self, request, queryset):
        return _with_reason(
            self, request, queryset,
            title="Deny rate filings",
            label="Reason for the denial (the organization sees this)",
            action=lambda filing, reason: services.filing_deny(filing=filing, actor=request.user, reason=reason),
            done="Filings denied",
        )  # fmt: skip


@admin.register(RateInvitation)
class RateInvitationAdmin(admin.ModelAdmin):
    list_display = ["organization", "year", "created_at", "email_sent_at"]
    list_filter = ["year"]
    search_fields = ["organization__legal_name", "organization__number"]
    list_select_related = ["organization", "year"]
    readonly_fields = ["organization", "year", "created_at", "email_sent_at"]

    def has_add_permission(self, request):
        return False
