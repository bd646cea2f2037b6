"""Staff's tool for organizations: queues, filters, inlines, and actions that call services."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import F
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ListedInline, ReadOnlyAdmin, RowActions, run_for_each
from core.admin_filters import choice_filter, value_filter
from core.errors import DomainError, put_on_form

from . import rules, services
from .models import (
    Affiliation,
    ApplicationStatus,
    ChiefChangeReport,
    County,
    Organization,
    OrganizationApplication,
    OrganizationPerson,
    PrimaryServiceArea,
    Town,
)

# The rows each admin acts on (core.admin_actions.RowActions).
_reports = RowActions("report")
_applications = RowActions("application")
_affiliations = RowActions("affiliation")


class PersonInline(admin.TabularInline):
    model = OrganizationPerson
    extra = 0
    fields = [
        "role",
        "full_name",
        "title",
        "email",
        "phone",
        "since",
        "until",
        "receives_notifications",
    ]


class PsaInline(ListedInline):
    model = PrimaryServiceArea
    # Read-only: PSAs change hands only through psa_assign (history, overlaps).
    fields = ["town", "psa_type", "effective_from", "effective_until"]
    show_change_link = True


class AffiliationInline(ListedInline):
    """The roster and its history; affiliations change only through their services (the
    Affiliation admin's actions, or the administrator's roster page)."""

    model = Affiliation
    fields = ["provider", "status", "requested_at", "decided_at", "ended_at"]
    show_change_link = True
    ordering = ["status", "provider__last_name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider")


def _psa_today(lookup: str):
    """Keeps the organizations holding, today, a PSA whose ``lookup`` is the chosen value."""

    def narrow(organizations, value):
        return organizations.filter(
            psas__in=PrimaryServiceArea.objects.on(timezone.localdate()),
            **{f"psas__{lookup}": value},
        ).distinct()

    return narrow


PsaTownFilter = value_filter(
    "PSA town",
    "psa_town",
    lookups=lambda: [(town.pk, town.name) for town in Town.objects.order_by("name")],
    narrow=_psa_today("town_id"),
)


PsaCountyFilter = value_filter(
    "PSA county", "psa_county", lookups=lambda: County.choices, narrow=_psa_today("town__county")
)


def _renewal_due_soon(organizations):
    today = timezone.localdate()
    return organizations.filter(
        renewal_due_on__gte=today,
        renewal_due_on__lte=today + timedelta(days=rules.RENEWAL_DUE_SOON_DAYS),
    )


RenewalDueFilter = choice_filter(
    "renewal",
    "renewal",
    {
        "overdue": (
            "Overdue",
            lambda organizations: organizations.filter(renewal_due_on__lt=timezone.localdate()),
        ),
        "soon": (f"Due within {rules.RENEWAL_DUE_SOON_DAYS} days", _renewal_due_soon),
    },
)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = [
        "legal_name",
        "number",
        "kind",
        "ownership",
        "credential_type",
        "highest_level",
        "status",
        "renewal_due_on",
    ]
    list_filter = [
        "kind",
        "highest_level",
        "ownership",
        "credential_type",
        "status",
        RenewalDueFilter,
        PsaCountyFilter,
        PsaTownFilter,
    ]
    search_fields = ["legal_name", "doing_business_as", "number", "email", "city"]
    filter_horizontal = ["administrators"]
    readonly_fields = ["renewal_due_on", "created_at", "updated_at"]
    inlines = [PersonInline, PsaInline, AffiliationInline]


@admin.register(Town)
class TownAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "county"]
    list_filter = ["county"]
    search_fields = ["name"]


@admin.register(PrimaryServiceArea)
class PrimaryServiceAreaAdmin(SimpleHistoryAdmin):
    list_display = ["town", "psa_type", "organization", "effective_from", "effective_until"]
    list_filter = ["psa_type", "town__county", ("effective_until", admin.EmptyFieldListFilter)]
    search_fields = ["town__name", "organization__legal_name", "organization__number"]
    autocomplete_fields = ["organization"]
    list_select_related = ["town", "organization"]

    def get_readonly_fields(self, request, obj=None):
        # An existing assignment is history: only its end is recorded, through psa_end.
        if obj is not None:
            return ["town", "psa_type", "organization", "effective_from", "effective_until"]
        return ["effective_until"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return type("PsaAssignForm", (PsaAssignFormMixin, form), {})
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return
        assignment = services.psa_assign(
            town=obj.town,
            psa_type=obj.psa_type,
            organization=obj.organization,
            effective_from=obj.effective_from,
            actor=request.user,
        )
        obj.pk = assignment.pk


class PsaAssignFormMixin:
    """The PSA rules (overlap, start after the current holder) shown beside the field."""

    def clean(self):
        data = super().clean()
        if all(data.get(name) for name in ("town", "psa_type", "organization", "effective_from")):
            try:
                services.psa_check(
                    town=data["town"],
                    psa_type=data["psa_type"],
                    organization=data["organization"],
                    effective_from=data["effective_from"],
                )
            except DomainError as error:
                put_on_form(self, error)
        return data


@admin.register(OrganizationPerson)
class OrganizationPersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "role", "organization", "email", "phone", "since", "until"]
    list_filter = ["role", ("until", admin.EmptyFieldListFilter)]
    search_fields = ["full_name", "email", "organization__legal_name", "organization__number"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


LateFilter = choice_filter(
    "timeliness",
    "late",
    {
        "yes": (
            "Late (after the due date)",
            lambda reports: reports.filter(submitted_on__gt=F("due_on")),
        ),
        "no": ("On time", lambda reports: reports.filter(submitted_on__lte=F("due_on"))),
    },
)


@admin.register(ChiefChangeReport)
class ChiefChangeReportAdmin(SimpleHistoryAdmin):
    list_display = [
        "organization",
        "new_chief_name",
        "effective_date",
        "due_on",
        "submitted_on",
        "late",
        "status",
    ]
    list_filter = ["status", LateFilter]
    search_fields = ["organization__legal_name", "organization__number", "new_chief_name"]
    list_select_related = ["organization"]
    readonly_fields = [
        "organization",
        "new_chief_name",
        "new_chief_email",
        "new_chief_phone",
        "effective_date",
        "letterhead",
        "reported_by",
        "submitted_on",
        "due_on",
        "status",
        "decided_at",
        "created_at",
        "updated_at",
    ]
    actions = ["accept", "return_report"]

    @admin.display(boolean=True, description="Late")
    def late(self, obj):
        return obj.is_late

    def has_add_permission(self, request):
        return False  # organizations report a change from their own page

    accept = _reports.run(
        "Accept: make the new chief the chief of service",
        services.chief_report_accept,
        "{count} accepted.",
    )

    return_report = _reports.run(
        "Return (letterhead missing or wrong)",
        services.chief_report_return,
        "{count} returned.",
        fixed={"note": "The report must be signed on the organization's letterhead."},
    )


def _in_status(*statuses):
    return lambda applications: applications.filter(status__in=list(statuses))


ApplicationQueueFilter = choice_filter(
    "queue",
    "queue",
    {
        "waiting": (
            "Waiting on the office",
            _in_status(ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW),
        ),
        "applicant": (
            "Waiting on the applicant",
            _in_status(
                ApplicationStatus.DRAFT,
                ApplicationStatus.FEE_DUE,
                ApplicationStatus.RETURNED,
                ApplicationStatus.ON_HOLD,
            ),
        ),
    },
)


@admin.register(OrganizationApplication)
class OrganizationApplicationAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "kind",
        "organization",
        "legal_name",
        "applicant",
        "status",
        "complete_at",
        "decided_at",
    ]
    list_filter = [
        ApplicationQueueFilter,
        "status",
        "kind",
        "requested_level",
        "requested_psa_type",
    ]
    search_fields = [
        "=reference",
        "legal_name",
        "organization__legal_name",
        "organization__number",
        "applicant__email",
    ]
    list_select_related = ["organization", "applicant"]
    filter_horizontal = ["requested_towns"]
    readonly_fields = [
        "reference",
        "kind",
        "status",
        "organization",
        "applicant",
        "submitted_at",
        "complete_at",
        "decided_at",
        "return_reason",
        "status_before_hold",
        "decision_note",
        "created_at",
        "updated_at",
    ]
    actions = ["start_review", "return_incomplete", "approve", "deny"]
    ordering = ["complete_at"]

    def has_add_permission(self, request):
        return False  # applicants start applications on the portal

    def _with_note(self, request, queryset, service, *, default: str, message: str) -> None:
        """``service`` for each row, the reason being the note typed with the action (or
        ``default`` when none was)."""
        reason = request.POST.get("note", "").strip() or default
        run_for_each(
            self,
            request,
            queryset,
            lambda app: service(application=app, reason=reason, actor=request.user),
            message=message,
        )

    start_review = _applications.run(
        "Start review", services.application_start_review, "{count} in review."
    )

    @admin.action(
        description="Return as incomplete (note says what is missing)", permissions=["change"]
    )
    def return_incomplete(self, request, queryset):
        self._with_note(
            request,
            queryset,
            services.application_return,
            default="Documents missing; see the office's message.",
            message="{count} returned as incomplete.",
        )

    approve = _applications.run("Approve", services.application_approve, "{count} approved.")

    @admin.action(description="Deny (note gives the reason)", permissions=["change"])
    def deny(self, request, queryset):
        self._with_note(
            request,
            queryset,
            services.application_deny,
            default="The application does not meet the requirements.",
            message="{count} denied.",
        )


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "organization", "status", "requested_at", "decided_at", "ended_at"]
    list_filter = ["status", "organization__kind"]
    search_fields = [
        "provider__last_name",
        "provider__first_name",
        "provider__certifications__number",
        "organization__legal_name",
        "organization__number",
    ]
    list_select_related = ["provider", "organization"]
    readonly_fields = [
        "organization",
        "provider",
        "status",
        "requested_by",
        "requested_at",
        "note",
        "decided_at",
        "decided_by",
        "decision_note",
        "ended_at",
        "ended_by",
        "end_reason",
        "updated_at",
    ]
    actions = ["approve", "decline", "end"]

    def has_add_permission(self, request):
        return False  # providers ask from their dashboard

    approve = _affiliations.run(
        "Approve (the provider joins the roster)", services.affiliation_approve, "{count} approved."
    )

    decline = _affiliations.run("Decline", services.affiliation_decline, "{count} declined.")

    end = _affiliations.run(
        "End the affiliation",
        services.affiliation_end,
        "{count} ended.",
        fixed={"reason": "Ended by the office"},
    )
