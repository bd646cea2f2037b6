"""The staff's tool for providers: the renewal review queue and its actions, certifications and
their discipline, CE requirement sets and incomplete reasons (data), and the linking log.
Every action calls one service; decided and computed fields are read-only."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ReadOnlyAdmin, ReviewActions, form_action, service_action
from core.admin_scale import LargeTableAdmin
from core.admin_sensitive import SensitiveFieldsAdminMixin

from . import rules, selectors, services
from .admin_forms import DisciplineForm, LevelChangeForm, LiftForm, ReturnForm
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


class DaysWaitingFilter(admin.SimpleListFilter):
    title = "days waiting"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            ("0-14", "Up to 2 weeks"),
            ("15-28", "2–4 weeks"),
            ("29-42", "4–6 weeks"),
            ("43+", "Over 6 weeks (late)"),
        ]

    def queryset(self, request, queryset):
        if self.value() not in selectors.WAITING_BANDS:
            return queryset
        return queryset.filter(selectors.waiting_band_q(self.value(), today=timezone.localdate()))


class CEInline(admin.TabularInline):
    model = RenewalApplication.ce_records.through
    verbose_name = "CE record"
    verbose_name_plural = "CE records counted"
    extra = 0
    can_delete = False
    readonly_fields = ["course", "hours", "component", "delivery", "approval_number", "document"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False

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


class DocumentInline(admin.TabularInline):
    model = RenewalDocument
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "file", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RenewalApplication)
class RenewalApplicationAdmin(ReviewActions, LargeTableAdmin, SimpleHistoryAdmin):
    SERVICES = {
        "start_review": services.renewal_start_review,
        "return_incomplete": services.renewal_return_incomplete,
        "approve": services.renewal_approve,
        "deny": services.renewal_deny,
    }
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
        (
            "Contact",
            {"fields": ["email", "phone", "address_line1", "city", "state", "postal_code"]},
        ),
        ("Attestation", {"fields": ["attestation_name", "attested_at"]}),
        (
            "Review",
            {
                "fields": [
                    "submitted_at",
                    "complete_on",
                    "return_reasons",
                    "return_note",
                    "status_before_hold",
                    "decided_at",
                    "decided_by",
                    "decision_note",
                    "previous_expires_on",
                    "new_expires_on",
                ]
            },
        ),
    ]

    @admin.display(description="Number", ordering="certification__number")
    def number(self, obj):
        return obj.certification.number

    @admin.display(description="Provider", ordering="certification__provider__last_name")
    def provider_name(self, obj):
        return obj.certification.provider.full_name

    @admin.display(description="Level", ordering="certification__level")
    def level(self, obj):
        return obj.certification.get_level_display()

    @admin.display(description="NREMT verified", boolean=True)
    def nremt_verified(self, obj):
        return bool(obj.nremt_verified_at)

    @admin.action(description="Approve (sets the new expiration date)", permissions=["change"])
    def approve(self, request, queryset):
        return super().approve(request, queryset)

    mark_nremt_verified = service_action(
        "Mark NREMT Step A verified",
        services.renewal_mark_nremt_verified,
        row="application",
        message="NREMT verified: {count}.",
    )


# --- Providers and certifications --------------------------------------------------------------


class CertificationStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return rules.CertificationStatus.choices

    def queryset(self, request, queryset):
        if self.value() in rules.CertificationStatus.values:
            return queryset.filter(rules.status_q(self.value(), today=timezone.localdate()))
        return queryset


@admin.register(Certification)
class CertificationAdmin(LargeTableAdmin, SimpleHistoryAdmin):
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

    change_level = form_action(
        "Level change (issue the higher level)…",
        services.certification_level_change,
        row="certification",
        form_class=LevelChangeForm,
        title="Level change",
        message="New level issued; the old certification is superseded: {count}.",
    )
    suspend = form_action(
        "Suspend…",
        services.certification_suspend,
        row="certification",
        form_class=DisciplineForm,
        title="Suspended",
        message="Suspended: {count}.",
    )
    revoke = form_action(
        "Revoke…",
        # A revocation has no end date: the form's "until" (suspensions only) is not passed on.
        services.certification_revoke,
        row="certification",
        fields={"reason": "reason", "effective_from": "effective_from"},
        form_class=DisciplineForm,
        title="Revoked",
        message="Revoked: {count}.",
    )
    lift_discipline = form_action(
        "Lift suspension/revocation…",
        services.certification_lift_discipline,
        row="certification",
        form_class=LiftForm,
        title="Discipline lifted",
        message="Discipline lifted: {count}.",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Status")
    def computed_status(self, obj):
        return obj.status_label


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0
    can_delete = False
    fields = ["number", "level", "issued_on", "expires_on", "discipline"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class CERecordInline(admin.TabularInline):
    model = CERecord
    extra = 0
    fields = [
        "course_title",
        "completed_on",
        "hours",
        "component",
        "delivery",
        "approval_number",
        "certificate",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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

    approve = service_action(
        "Approve",
        services.credential_renewal_approve,
        row="renewal",
        message="Approved: {count}.",
    )
    deny = service_action(
        "Deny",
        services.credential_renewal_deny,
        row="renewal",
        fixed={"reason": "Denied"},
        message="Denied: {count}.",
    )


# The other admin modules of this app register themselves: initial and reinstatement
# applications and the registry import; reminders and card emails; name change requests.
from . import application_admin, reminder_admin  # noqa: E402,F401
from .contact import admin as contact_admin  # noqa: E402,F401
