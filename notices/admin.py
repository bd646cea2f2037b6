"""Staff compose a notice, see how many it reaches, send it, and follow its progress; the
delivery report is a CSV of every person's line."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import run_for_each, service_action
from core.exports import csv_streaming_response

from . import selectors, services
from .models import Notice, NoticeDelivery
from .rules import NoticeStatus


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "audience", "status", "recipients_total", "created_at", "sent_at"]
    list_filter = ["status", "audience"]
    search_fields = ["subject"]
    fields = ["subject", "body", "audience", "level", "expires_within_days"]
    actions = ["preview_count", "send"]
    change_form_template = "admin/notices/notice/change_form.html"

    @admin.action(description="Preview the recipient count")
    def preview_count(self, request, queryset):
        for notice in queryset:
            count = selectors.audience_count(notice)
            level = messages.INFO if count else messages.WARNING
            self.message_user(request, f"“{notice}” reaches {count} people today.", level)

    send = service_action(
        "Send the selected notices",
        services.notice_send,
        row="notice",
        message="Sending: {count}.",
        permissions=["send"],
    )

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm(services.SEND_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != NoticeStatus.DRAFT:
            return self.fields  # what was sent stays as it was sent
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != NoticeStatus.DRAFT:
            return False  # a sent notice is the record of what people were told
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        notice = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if notice is not None:
            if notice.status == NoticeStatus.DRAFT:
                extra["recipient_count"] = selectors.audience_count(notice)
            else:
                extra["progress"] = selectors.notice_progress(notice)
            extra["may_send"] = self.has_send_permission(request)
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/send/",
                self.admin_site.admin_view(self.send_view),
                name="notices_notice_send",
            ),
            path(
                "<path:object_id>/report.csv",
                self.admin_site.admin_view(self.report_view),
                name="notices_notice_report",
            ),
        ] + super().get_urls()

    def _notice(self, request, object_id) -> Notice:
        notice = self.get_object(request, object_id)
        if notice is None:
            raise Http404("No such notice.")
        return notice

    def send_view(self, request, object_id):
        """The change page's "Send" button: the same service as the action."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_send_permission(request):
            raise PermissionDenied
        notice = self._notice(request, object_id)
        run_for_each(
            self,
            request,
            [notice],
            lambda row: services.notice_send(notice=row, actor=request.user),
            message="Sending: {count}.",
        )
        return HttpResponseRedirect(reverse("admin:notices_notice_change", args=[notice.pk]))

    def report_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        notice = self._notice(request, object_id)
        return csv_streaming_response(
            f"notice-{notice.pk}-deliveries.csv",
            selectors.delivery_report_rows(notice),
            header=selectors.REPORT_HEADER,
        )


@admin.register(NoticeDelivery)
class NoticeDeliveryAdmin(admin.ModelAdmin):
    list_display = ["notice", "email", "status", "attempts", "sent_at", "reason"]
    list_filter = ["status"]
    search_fields = ["=email"]
    list_select_related = ["notice"]
    raw_id_fields = ["notice", "provider", "user"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # written by the sending only

    def has_delete_permission(self, request, obj=None):
        return False
