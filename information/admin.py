"""Staff's tool for news, help, the site-wide alert, hospitals, awards and publications."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import models
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ListedInline, service_action
from core.models import News
from core.transitions import save_with_audit

from . import selectors, services
from .constants import ATTESTATION_WARNING_DAYS
from .forms import NominationForm
from .models import (
    AttestationWarning,
    AwardCategory,
    ContactDetails,
    FaqEntry,
    HelpTopic,
    Hospital,
    NewsAttachment,
    Nomination,
    NominationPeriod,
    Publication,
    PublicationFile,
    SiteAlert,
    StrokeCertification,
    TraumaDesignation,
)

# --- Hospitals ---------------------------------------------------------------------------------


class ChoiceFilter(admin.SimpleListFilter):
    """A list filter whose options each narrow the queryset as of now; subclasses name them in
    ``options``: value -> (label, function(queryset, moment))."""

    options: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {}

    @staticmethod
    def moment():
        return timezone.localdate()

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.options.items()]

    def queryset(self, request, queryset):
        choice = self.options.get(self.value() or "")
        return choice[1](queryset, self.moment()) if choice else queryset


class AttestationFilter(ChoiceFilter):
    title = "attestation"
    parameter_name = "attestation"
    options = {
        "expires_soon": (
            f"Expires soon (within {max(ATTESTATION_WARNING_DAYS)} days)",
            lambda qs, today: qs.expiring_within(today=today, days=max(ATTESTATION_WARNING_DAYS)),
        ),
        "expired": ("Expired", lambda qs, today: qs.expired(today=today)),
        "current": ("Current", lambda qs, today: qs.current(today=today)),
    }


class DesignationFilter(ChoiceFilter):
    title = "designation"
    parameter_name = "designation"
    options = {
        "current": ("Current", lambda qs, today: qs.current(today=today)),
        "ended": ("Ended", lambda qs, today: qs.filter(designated_until__lt=today)),
    }


class StrokeCertificationInline(admin.TabularInline):
    model = StrokeCertification
    extra = 0
    fields = [
        "level",
        "certifying_organization",
        "attestation",
        "certified_from",
        "attestation_expires",
    ]


class TraumaDesignationInline(admin.TabularInline):
    model = TraumaDesignation
    extra = 0
    fields = ["level", "verification_body", "designated_from", "designated_until"]


@admin.register(Hospital)
class HospitalAdmin(SimpleHistoryAdmin):
    list_display = ["name", "town", "address"]
    list_filter = ["town"]
    search_fields = ["name", "town", "address"]
    inlines = [StrokeCertificationInline, TraumaDesignationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AttestationWarningInline(ListedInline):
    model = AttestationWarning
    fields = ["days_before", "expires_on", "claimed_at", "sent_at"]


@admin.register(StrokeCertification)
class StrokeCertificationAdmin(SimpleHistoryAdmin):
    list_display = [
        "hospital",
        "level",
        "certifying_organization",
        "certified_from",
        "attestation_expires",
        "attestation_state",
    ]
    list_filter = [AttestationFilter, "level", "certifying_organization", "hospital__town"]
    search_fields = ["hospital__name", "hospital__town"]
    list_select_related = ["hospital"]
    autocomplete_fields = ["hospital"]
    date_hierarchy = "attestation_expires"
    inlines = [AttestationWarningInline]

    @admin.display(description="State")
    def attestation_state(self, obj):
        today = timezone.localdate()
        days_left = (obj.attestation_expires - today).days
        if days_left < 0:
            return "Expired"
        if days_left <= max(ATTESTATION_WARNING_DAYS):
            return f"Expires soon ({days_left} days)"
        return "Current"


@admin.register(TraumaDesignation)
class TraumaDesignationAdmin(SimpleHistoryAdmin):
    list_display = ["hospital", "level", "verification_body", "designated_from", "designated_until"]
    list_filter = [DesignationFilter, "level", "hospital__town"]
    search_fields = ["hospital__name", "hospital__town", "verification_body"]
    list_select_related = ["hospital"]
    autocomplete_fields = ["hospital"]


@admin.register(AttestationWarning)
class AttestationWarningAdmin(admin.ModelAdmin):
    """What the expiry task claimed and sent; written by the task only."""

    list_display = ["certification", "days_before", "expires_on", "claimed_at", "sent_at"]
    list_filter = ["days_before", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["certification__hospital"]
    search_fields = ["certification__hospital__name"]
    readonly_fields = ["certification", "days_before", "expires_on", "claimed_at", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Awards ------------------------------------------------------------------------------------


@admin.register(AwardCategory)
class AwardCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(NominationPeriod)
class NominationPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["year", "opens", "closes", "ceremony_note"]
    search_fields = ["year"]


def _review_action(description: str, service, done: str):
    """A nomination decision: the service for each selected nomination, noted as done here."""
    return service_action(
        description,
        service,
        row="nomination",
        fixed={"note": f"{done} in the admin"},
        message=f"{{count}} nomination(s) {done.lower()}.",
        label=lambda nomination: nomination.nominee_name,
    )


@admin.register(Nomination)
class NominationAdmin(SimpleHistoryAdmin):
    list_display = [
        "nominee_name",
        "category",
        "period",
        "status",
        "nominator_name",
        "submitted_at",
    ]
    list_filter = ["status", "period", "category"]
    search_fields = ["nominee_name", "nominee_affiliation", "nominator_name", "nominator_email"]
    list_select_related = ["category", "period"]
    date_hierarchy = "submitted_at"
    readonly_fields = ["status", "submitted_at", "decided_at", "submission_token"]
    # What the nominator sent, as the public form asks it, between the award and the decision.
    fields = [
        "period",
        "category",
        *NominationForm.Meta.fields,
        "citation",
        "status",
        "submitted_at",
        "decided_at",
    ]
    actions = ["shortlist", "select_recipient", "not_select"]

    shortlist = _review_action(
        "Shortlist the selected nominations", services.nomination_shortlist, "Shortlisted"
    )
    select_recipient = _review_action(
        "Record the selected as award recipients",
        services.nomination_select_recipient,
        "Recorded as recipients",
    )
    not_select = _review_action(
        "Mark the selected as not selected", services.nomination_not_select, "Marked not selected"
    )


# --- Publications -------------------------------------------------------------------------------


def _publishing_action(publish: bool, description: str, reason: str):
    """Put the selected reports on the site or take them off, each save audited."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        for publication in queryset.filter(is_published=not publish):
            publication.is_published = publish
            save_with_audit(
                publication, actor=request.user, reason=reason, update_fields=["is_published"]
            )
        modeladmin.message_user(request, "Published." if publish else "Withdrawn from the site.")

    return action


class PublishedDocumentInline(admin.TabularInline):
    """The PDFs of a report or a news post (information.models.PublishedDocument)."""

    extra = 1
    fields = ["title", "file", "position"]


class PublicationFileInline(PublishedDocumentInline):
    model = PublicationFile


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "published_at", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [PublicationFileInline]
    actions = ["publish", "unpublish"]

    publish = _publishing_action(True, "Publish the selected", "Published")
    unpublish = _publishing_action(False, "Withdraw the selected from the site", "Withdrawn")


# --- News (core.News: its attachments live here) ------------------------------------------------


class NewsAttachmentInline(PublishedDocumentInline):
    model = NewsAttachment


@admin.register(News)
class NewsAdmin(SimpleHistoryAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    inlines = [NewsAttachmentInline]


# --- Help, FAQ, contact and the site-wide alert ------------------------------------------------


class FaqEntryInline(admin.TabularInline):
    model = FaqEntry
    extra = 0
    fields = ["question", "position", "is_published"]
    show_change_link = True


@admin.register(HelpTopic)
class HelpTopicAdmin(SimpleHistoryAdmin):
    list_display = ["title", "position", "is_published", "updated_at"]
    list_editable = ["position", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [FaqEntryInline]
    view_on_site = True


@admin.register(FaqEntry)
class FaqEntryAdmin(SimpleHistoryAdmin):
    list_display = ["question", "topic", "position", "is_published"]
    list_editable = ["position", "is_published"]
    list_filter = ["is_published", "topic"]
    search_fields = ["question", "answer"]
    list_select_related = ["topic"]


@admin.register(ContactDetails)
class ContactDetailsAdmin(SimpleHistoryAdmin):
    """One row: the office's address, phone, email and hours shown on /contact/ and in the footer."""

    list_display = ["office_name", "phone", "licensing_email", "hours", "updated_at"]

    def has_add_permission(self, request):
        # The cached row every footer reads: no query on each admin page's sidebar.
        return super().has_add_permission(request) and selectors.contact_details() is None


class AlertWindowFilter(ChoiceFilter):
    title = "when"
    parameter_name = "when"
    moment = staticmethod(timezone.now)
    options = {
        "showing": ("Showing now", lambda qs, now: qs.showing_at(now)),
        "upcoming": ("Not started", lambda qs, now: qs.filter(starts_at__gt=now)),
        "ended": ("Ended", lambda qs, now: qs.filter(ends_at__lte=now)),
    }


@admin.register(SiteAlert)
class SiteAlertAdmin(SimpleHistoryAdmin):
    """The notice on every page between its start and end; the end must follow the start."""

    list_display = ["title", "level", "starts_at", "ends_at", "showing_now"]
    list_filter = [AlertWindowFilter, "level"]
    search_fields = ["title", "message"]
    fields = ["level", "title", "message", "starts_at", "ends_at"]

    @admin.display(boolean=True, description="Showing now")
    def showing_now(self, alert):
        return alert.is_showing_at(timezone.now())
