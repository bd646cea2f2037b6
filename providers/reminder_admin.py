"""Staff's view of renewal reminders and card emails: what was sent, skipped (and why) or failed,
and when; the thresholds (data) with their history. The log rows are written only by the
reminder run, so every field is read-only; "retry now" hands failed ones back to the run."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ReadOnlyAdmin, related_column

from .reminders import services as reminder_services
from .reminders.models import CertificationCardEmail, ReminderSent, ReminderThreshold


@admin.register(ReminderThreshold)
class ReminderThresholdAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "days_before", "is_active", "note", "updated_at"]
    list_editable = ["is_active"]
    list_filter = ["is_active"]
    ordering = ["-days_before"]


class _ReadOnlyLog(ReadOnlyAdmin, admin.ModelAdmin):
    list_select_related = ["certification__provider"]
    date_hierarchy = "claimed_at"
    # Every email's delivery: where it went, how it ended, how many tries, when.
    DELIVERY_COLUMNS = ["status", "email", "reason", "attempts", "claimed_at", "sent_at"]

    certification_number = related_column(
        "Certification", "certification.number", ordering="certification__number"
    )
    provider = related_column(
        "Provider",
        "certification.provider.full_name",
        ordering="certification__provider__last_name",
    )


@admin.register(ReminderSent)
class ReminderSentAdmin(_ReadOnlyLog):
    list_display = [
        "certification_number",
        "provider",
        "threshold",
        "expires_on",
        *_ReadOnlyLog.DELIVERY_COLUMNS,
    ]
    list_filter = ["status", "threshold", "sent_at", "expires_on"]
    search_fields = [
        "certification__number",
        "certification__provider__last_name",
        "certification__provider__first_name",
        "email",
        "reason",
    ]
    list_select_related = ["certification__provider", "threshold"]
    actions = ["retry_now"]

    @admin.action(description="Send again now (failed or skipped ones)", permissions=["view"])
    def retry_now(self, request, queryset):
        count = reminder_services.reminders_retry(reminders=queryset)
        self.message_user(
            request,
            f"Queued {count} reminder(s); each is sent only if still owed and not sent already.",
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(CertificationCardEmail)
class CertificationCardEmailAdmin(_ReadOnlyLog):
    list_display = [
        "certification_number",
        "provider",
        "expires_on",
        *_ReadOnlyLog.DELIVERY_COLUMNS,
    ]
    list_filter = ["status", "sent_at"]
    search_fields = [
        "certification__number",
        "certification__provider__last_name",
        "email",
    ]
