"""The staff's tool for providers: the renewal review queue and its actions, certifications and
their discipline, CE requirement sets and incomplete reasons (data), and the linking log.
Every action calls one service; decided and computed fields are read-only."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import (
    ListedInline,
    ReadOnlyAdmin,
    ReviewActions,
    RowActions,
    ServiceWrittenAdmin,
    related_column,
    review_fieldset,
    review_services,
)
from core.admin_filters import value_filter
from core.admin_scale import LargeTableAdmin
from core.admin_sensitive import SensitiveFieldsAdminMixin

from . import rules, selectors, services
from .admin_forms import CONTACT_FIELDSET, DisciplineForm, LevelChangeForm, LiftForm, ReturnForm
from .models import (
    CERecord,
    CERequirementSet,
    Certification,
    Credential,
    CredentialRenewal,
    IncompleteReason,
    LinkAttempt,
    Provider,
    RenewalApplication,
    RenewalDocument,
)

# --- Renewal applications: the review queue ----------------------------------------------------


DaysWaitingFilter = value_filter(
    "days waiting",
    "waiting",
    lookups=lambda: [
        ("0-14", "Up to 2 weeks"),
        ("15-28", "2–4 weeks"),
        ("29-42", "4–6 weeks"),
        ("43+", "Over 6 weeks (late)"),
    ],
    narrow=lambda applications, band: (
        applications.filter(selectors.waiting_band_q(band, today=timezone.localdate()))
        if band in selectors.WAITING_BANDS
        else applications
    ),
)


# The rows each admin acts on (core.admin_actions.RowActions).
_renewal_applications = RowActions("application")
_certifications = RowActions("certification")
_renewals = RowActions("renewal")


class CEInline(ListedInline):
    model = RenewalApplication.ce_records.through
    verbose_name = "CE record"
    verbose_name_plural = "CE records counted"
    fields = ["course", "hours", "component", "delivery", "approval_number", "document"]

    @admin.display(description="Course")
    def course(self, row):
        return f"{row.cerecord.course_title} ({row.cerecord.completed_on})"

    def hours(self, row):
        return row.cerecord.hours

    def component(self, row):
        return row.cerecord.get_component_display()

    def delivery(self, row):
        return row.cerecord.get_delivery_display()

    def approval_number(self, row):
        return row.cerecord.approval_number or "—"

    @admin.display(description="Certificate")
    def document(self, row):
        if not row.cerecord.certificate:
            return "—"
        return format_html('<a href="{}">open</a>', row.cerecord.certificate.url)


class DocumentInline(ListedInline):
    model = RenewalDocument
    readonly_fields = ["kind", "file", "uploaded_at"]


@admin.register(RenewalApplication)
class RenewalApplicationAdmin(ReviewActions, LargeTableAdmin, SimpleHistoryAdmin):
    SERVICES = review_services(services, "renewal")
    return_form = ReturnForm
    list_display = [
        "number",
        "provider_name",
        "level",
        "status",
        "complete_on",
        "waiting",
        "nremt_verified",
    ]
    list_filter = [
        "status",
        "certification__level",
        DaysWaitingFilter,
        "return_reasons",
    ]
    search_fields = [
        "=certification__number",
        "^certification__provider__last_name",
        "^certification__provider__first_name",
        "=nremt_number",
    ]
    list_select_related = ["certification__provider"]
    ordering = ["complete_on", "pk"]
    inlines = [CEInline, DocumentInline]
    actions = [*ReviewActions.actions, "mark_nremt_verified"]
    fieldsets = [
        (None, {"fields": ["certification", "applicant", "status", "step"]}),
        (
            "Step A (NREMT)",
            {
                "fields": [
                    "nremt_number",
                    "nremt_attested_at",
                    "nremt_verified_at",
                    "nremt_verified_by",
                ]
            },
        ),
        CONTACT_FIELDSET,
        ("Attestation", {"fields": ["attestation_name", "attested_at"]}),
        review_fieldset("previous_expires_on", "new_expires_on"),
    ]

    number = related_column("Number", "certification.number", ordering="certification__number")
    provider_name = related_column(
        "Provider",
        "certification.provider.full_name",
        ordering="certification__provider__last_name",
    )

    @admin.display(description="Level", ordering="certification__level")
    def level(self, obj):
        return obj.certification.get_level_display()

    @admin.display(description="NREMT verified", boolean=True)
    def nremt_verified(self, obj):
        return bool(obj.nremt_verified_at)

    @admin.action(description="Approve (sets the new expiration date)", permissions=["change"])
    def approve(self, request, queryset):
        return super().approve(request, queryset)

    mark_nremt_verified = _renewal_applications.run(
        "Mark NREMT Step A verified",
        services.renewal_mark_nremt_verified,
        "NREMT verified: {count}.",
    )


# --- Providers and certifications --------------------------------------------------------------


CertificationStatusFilter = value_filter(
    "status",
    "status",
    lookups=lambda: rules.CertificationStatus.choices,
    narrow=lambda certifications, status: (
        certifications.filter(rules.status_q(status, today=timezone.localdate()))
        if status in rules.CertificationStatus.values
        else certifications
    ),
)


@admin.register(Certification)
class CertificationAdmin(ServiceWrittenAdmin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["number", "provider", "level", "computed_status", "expires_on"]
    list_filter = ["level", CertificationStatusFilter]
    search_fields = ["=number", "^provider__last_name", "^provider__first_name"]
    list_select_related = ["provider"]
    readonly_fields = [
        "provider",
        "number",
        "level",
        "issued_on",
        "expires_on",
        "computed_status",
        "discipline",
        "discipline_from",
        "discipline_until",
        "discipline_reason",
        "superseded_on",
        "superseded_by",
    ]
    fields = readonly_fields
    actions = ["suspend", "revoke", "lift_discipline", "change_level"]

    change_level = _certifications.ask(
        "Level change (issue the higher level)…",
        services.certification_level_change,
        LevelChangeForm,
        "Level change",
        "New level issued; the old certification is superseded: {count}.",
    )
    suspend = _certifications.ask(
        "Suspend…",
        services.certification_suspend,
        DisciplineForm,
        "Suspended",
        "Suspended: {count}.",
    )
    revoke = _certifications.ask(
        # A revocation has no end date: the form's "until" (suspensions only) is not passed on.
        "Revoke…",
        services.certification_revoke,
        DisciplineForm,
        "Revoked",
        "Revoked: {count}.",
        fields={"reason": "reason", "effective_from": "effective_from"},
    )
    lift_discipline = _certifications.ask(
        "Lift suspension/revocation…",
        services.certification_lift_discipline,
        LiftForm,
        "Discipline lifted",
        "Discipline lifted: {count}.",
    )

    @admin.display(description="Status")
    def computed_status(self, obj):
        return obj.status_label


class CertificationInline(ListedInline):
    model = Certification
    fields = ["number", "level", "issued_on", "expires_on", "discipline"]
    show_change_link = True


class CERecordInline(ListedInline):
    model = CERecord
    fields = [
        "course_title",
        "completed_on",
        "hours",
        "component",
        "delivery",
        "approval_number",
        "certificate",
    ]


@admin.register(Provider)
class ProviderAdmin(SensitiveFieldsAdminMixin, LargeTableAdmin, SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "ssn_last4", "user"]
    list_select_related = ["user"]  # one query for the page, not one per linked provider
    ordering = ["last_name", "first_name", "pk"]  # total, and the index provider_admin_order
    search_fields = [
        "^last_name",
        "^first_name",
        "=certifications__number",
        "=nremt_number",
        "=user__email",
    ]
    exclude = ["ssn_hmac"]  # the hash is of no use to a person and never shown
    readonly_fields = ["user", "ssn_last4", "date_of_birth"]
    inlines = [CertificationInline, CERecordInline]

    def has_add_permission(self, request):
        return False  # providers come from initial applications (a later issue) or imports


@admin.register(CERequirementSet)
class CERequirementSetAdmin(SimpleHistoryAdmin):
    list_display = [
        "level",
        "effective_from",
        "national_hours",
        "local_hours",
        "individual_hours",
        "max_distributive_hours",
    ]
    list_filter = ["level"]


@admin.register(IncompleteReason)
class IncompleteReasonAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["label", "code"]


@admin.register(CERecord)
class CERecordAdmin(LargeTableAdmin, SimpleHistoryAdmin):
    list_display = [
        "course_title",
        "provider",
        "completed_on",
        "hours",
        "component",
        "delivery",
        "approval_number",
    ]
    list_filter = ["component", "delivery"]
    # By the provider (certification number, last name) or the course's approval number. Not by
    # course title: a handful of titles cover every record (one in nine of 1.6 million rows at
    # state scale), so it narrowed nothing and scanned the table.
    search_fields = [
        "=approval_number",
        "=provider__certifications__number",
        "^provider__last_name",
    ]
    list_select_related = ["provider"]
    readonly_fields = ["provider"]


@admin.register(LinkAttempt)
class LinkAttemptAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "user", "ip_address", "number_entered", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["user__email", "number_entered", "ip_address"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(Credential)
class CredentialAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "provider", "expires_on", "deadline"]
    list_filter = ["kind"]
    search_fields = ["number", "provider__last_name"]
    readonly_fields = ["provider", "underlying", "expires_on"]


@admin.register(CredentialRenewal)
class CredentialRenewalAdmin(SimpleHistoryAdmin):
    list_display = ["credential", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "credential__kind"]
    search_fields = ["credential__number", "credential__provider__last_name"]
    readonly_fields = [
        "credential",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "new_expires_on",
    ]
    actions = ["approve", "deny"]

    def has_add_permission(self, request):
        return False

    approve = _renewals.run("Approve", services.credential_renewal_approve, "Approved: {count}.")
    deny = _renewals.run(
        "Deny", services.credential_renewal_deny, "Denied: {count}.", fixed={"reason": "Denied"}
    )


# The other admin modules of this app register themselves: initial and reinstatement
# applications and the registry import; reminders and card emails; name change requests.
from . import application_admin, reminder_admin  # noqa: E402,F401
from .contact import admin as contact_admin  # noqa: E402,F401
