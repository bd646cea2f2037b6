from django.contrib import admin

from .admin_actions import ServiceWrittenAdmin
from .models import OutboxMessage, OutboxStatus

# News posts are edited in information/admin.py, with their PDF attachments.


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
