from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import ListedInline, RowActions

from . import services
from .models import DocumentJob, DocumentRequest

# The rows each admin acts on (core.admin_actions.RowActions).
_jobs = RowActions("job")


class DocumentRequestInline(ListedInline):
    model = DocumentRequest
    readonly_fields = ["user", "requested_at"]


@admin.register(DocumentJob)
class DocumentJobAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "progress",
        "page_count",
        "requested_by",
        "created_at",
        "finished_at",
        "attempts",
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["id", "title", "kind", "requested_by__email", "error"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    inlines = [DocumentRequestInline]
    # Every field is decided by the request and the worker; staff act through "retry".
    readonly_fields = [
        "id",
        "kind",
        "title",
        "params",
        "params_key",
        "fingerprint",
        "status",
        "progress",
        "progress_message",
        "file",
        "page_count",
        "error",
        "error_detail",
        "requested_by",
        "claim_token",
        "attempts",
        "heartbeat_at",
        "created_at",
        "started_at",
        "finished_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    retry = _jobs.run(
        "Retry the selected failed or stuck jobs",
        services.job_retry,
        "Sent {count} job(s) back to the queue.",
        label=lambda job: f"{job.title} ({job.pk})",
        error_level=messages.WARNING,
    )
