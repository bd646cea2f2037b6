from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .admin_actions import ServiceWrittenAdmin
from .models import News, OutboxMessage, OutboxStatus


@admin.register(News)
class NewsAdmin(SimpleHistoryAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ServiceWrittenAdmin, admin.ModelAdmin):
    """The transactional outbox (core.outbox): what is waiting for the broker, what failed and
    why. Read-only; "send again" puts failed rows back for the relay."""

    list_display = ["pk", "task", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["task"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_again"]

    @admin.action(description="Send again (back to pending)", permissions=["change"])
    def send_again(self, request, queryset):
        count = queryset.exclude(status=OutboxStatus.PENDING).update(
            status=OutboxStatus.PENDING, last_error=""
        )
        self.message_user(request, f"{count} row(s) will be sent by the next relay run.")
