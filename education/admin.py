"""The staff's tool for course approval: approve (the course gets its T3 number) or deny, each
action calling one service; decided fields are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import (
    NoteForm,
    RowActions,
    ServiceWrittenAdmin,
)

from . import services
from .models import Course

# The rows each admin acts on (core.admin_actions.RowActions).
_courses = RowActions("course")


@admin.register(Course)
class CourseAdmin(ServiceWrittenAdmin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "institution_name",
        "topic",
        "delivery",
        "hours",
        "starts_on",
        "ends_on",
        "status",
        "approval_number",
    ]
    list_filter = ["status", "delivery", "component"]
    search_fields = ["title", "topic", "institution_name", "approval_number"]
    ordering = ["status", "starts_on"]
    actions = ["approve", "deny"]
    readonly_fields = [
        "institution",
        "institution_name",
        "title",
        "topic",
        "description",
        "delivery",
        "hours",
        "component",
        "starts_on",
        "ends_on",
        "instructor_list",
        "status",
        "approval_number",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_note",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("instructors__provider")

    @admin.display(description="Instructor/Coordinators")
    def instructor_list(self, obj):
        return ", ".join(f"{c.number} ({c.provider.full_name})" for c in obj.instructors.all())

    approve = _courses.run(
        "Approve (issues the T3 approval number)", services.course_approve, "Approved: {count}."
    )
    deny = _courses.ask(
        "Deny…", services.course_deny, NoteForm, "Deny the course", "Denied: {count}."
    )
