"""The staff's tool for providers: the renewal review queue and its actions, certifications and
their discipline, CE requirement sets and incomplete reasons (data), and the linking log.
Every action calls one service; decided and computed fields are read-only."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import run_for_each
from core.admin_scale import LargeTableAdmin
from core.admin_sensitive import SensitiveFieldsAdminMixin

from . import rules, services
from .models import (
    QUEUE_STATUSES,
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


def _run(modeladmin, request, queryset, service, done, **kwargs):
    """Call ``service`` for each selected row as the signed-in staff member."""
    run_for_each(
        modeladmin,
        request,
        queryset,
        lambda obj: service(obj, actor=request.user, **kwargs),
        message=lambda count: f"{done}: {count}.",
    )


def _intermediate(modeladmin, request, queryset, *, form, title, action):
    return TemplateResponse(
        request,
        "providers/admin_action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


class ReviewActions:
    """start_review / return_incomplete / approve / deny, wired to the services named in
    ``SERVICES``: the review actions of every kind of application (renewal, initial,
    reinstatement), each calling one service per selected row."""

    SERVICES: dict = {}
    actions = ["start_review", "return_incomplete", "approve", "deny"]

    def _call(self, name):
        service = self.SERVICES[name]
        return lambda application, **kw: service(application=application, **kw)

    @admin.action(description="Start review", permissions=["change"])
    def start_review(self, request, queryset):
        _run(self, request, queryset, self._call("start_review"), "Review started")

    @admin.action(description="Return incomplete (with reasons)…", permissions=["change"])
    def return_incomplete(self, request, queryset):
        if "apply" in request.POST:
            form = ReturnForm(request.POST)
            if form.is_valid():
                _run(
                    self,
                    request,
                    queryset,
                    self._call("return_incomplete"),
                    "Returned incomplete",
                    reasons=form.cleaned_data["reasons"],
                    note=form.cleaned_data["note"],
                )
                return None
        else:
            form = ReturnForm()
        return _intermediate(
            self,
            request,
            queryset,
            form=form,
            title="Return as incomplete",
            action="return_incomplete",
        )

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        _run(self, request, queryset, self._call("approve"), "Approved")

    @admin.action(description="Deny…", permissions=["change"])
    def deny(self, request, queryset):
        if "apply" in request.POST:
            form = NoteForm(request.POST)
            if form.is_valid():
                _run(
                    self,
                    request,
                    queryset,
                    self._call("deny"),
                    "Denied",
                    note=form.cleaned_data["note"],
                )
                return None
        else:
            form = NoteForm()
        return _intermediate(
            self, request, queryset, form=form, title="Deny the application", action="deny"
        )

    def get_readonly_fields(self, request, obj=None):
        # Everything on an application is what the applicant declared or a service decided.
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Days waiting")
    def waiting(self, obj):
        days = obj.days_waiting()
        return "—" if days is None else days


# --- Renewal applications: the review queue ----------------------------------------------------


class DaysWaitingFilter(admin.SimpleListFilter):
    title = "days waiting"
    parameter_name = "waiting"
    BANDS = {"0-14": (0, 14), "15-28": (15, 28), "29-42": (29, 42), "43+": (43, None)}

    def lookups(self, request, model_admin):
        return [
            ("0-14", "Up to 2 weeks"),
            ("15-28", "2–4 weeks"),
            ("29-42", "4–6 weeks"),
            ("43+", "Over 6 weeks (late)"),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.BANDS:
            return queryset
        low, high = self.BANDS[self.value()]
        today = timezone.localdate()
        condition = Q(status__in=QUEUE_STATUSES, complete_on__lte=today - timedelta(days=low))
        if high is not None:
            condition &= Q(complete_on__gte=today - timedelta(days=high))
        return queryset.filter(condition)


class ReturnForm(forms.Form):
    reasons = forms.ModelMultipleChoiceField(
        queryset=IncompleteReason.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


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
        from django.utils.html import format_html

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

    @admin.action(description="Mark NREMT Step A verified", permissions=["change"])
    def mark_nremt_verified(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda a, **kw: services.renewal_mark_nremt_verified(application=a, **kw),
            "NREMT verified",
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


class DisciplineForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    effective_from = forms.DateField(
        initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Suspensions only; leave blank for an open-ended suspension.",
    )


class LevelChangeForm(forms.Form):
    level = forms.ChoiceField(choices=rules.Level.choices, label="New level")


class LiftForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


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

    @admin.action(description="Level change (issue the higher level)…", permissions=["change"])
    def change_level(self, request, queryset):
        if "apply" in request.POST:
            form = LevelChangeForm(request.POST)
            if form.is_valid():
                _run(
                    self,
                    request,
                    queryset,
                    lambda c, **kw: services.certification_level_change(certification=c, **kw),
                    "New level issued; the old certification is superseded",
                    level=form.cleaned_data["level"],
                )
                return None
        else:
            form = LevelChangeForm()
        return _intermediate(
            self, request, queryset, form=form, title="Level change", action="change_level"
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Status")
    def computed_status(self, obj):
        return obj.status_label

    def _discipline(self, request, queryset, *, service, title, action, form_class):
        if "apply" in request.POST:
            form = form_class(request.POST)
            if form.is_valid():
                _run(
                    self,
                    request,
                    queryset,
                    lambda c, **kw: service(certification=c, **kw),
                    title,
                    **form.cleaned_data,
                )
                return None
        else:
            form = form_class()
        return _intermediate(self, request, queryset, form=form, title=title, action=action)

    @admin.action(description="Suspend…", permissions=["change"])
    def suspend(self, request, queryset):
        return self._discipline(
            request,
            queryset,
            service=services.certification_suspend,
            title="Suspended",
            action="suspend",
            form_class=DisciplineForm,
        )

    @admin.action(description="Revoke…", permissions=["change"])
    def revoke(self, request, queryset):
        def revoke(*, certification, actor, reason, effective_from, until=None):
            return services.certification_revoke(
                certification=certification,
                actor=actor,
                reason=reason,
                effective_from=effective_from,
            )

        return self._discipline(
            request,
            queryset,
            service=revoke,
            title="Revoked",
            action="revoke",
            form_class=DisciplineForm,
        )

    @admin.action(description="Lift suspension/revocation…", permissions=["change"])
    def lift_discipline(self, request, queryset):
        return self._discipline(
            request,
            queryset,
            service=services.certification_lift_discipline,
            title="Discipline lifted",
            action="lift_discipline",
            form_class=LiftForm,
        )


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
class LinkAttemptAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "ip_address", "number_entered", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["user__email", "number_entered", "ip_address"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r, **kw: services.credential_renewal_approve(renewal=r, **kw),
            "Approved",
        )

    @admin.action(description="Deny", permissions=["change"])
    def deny(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda r, **kw: services.credential_renewal_deny(renewal=r, reason="Denied", **kw),
            "Denied",
        )


# The other admin modules of this app register themselves: initial and reinstatement
# applications and the registry import; reminders and card emails.
from . import application_admin, reminder_admin  # noqa: E402,F401
