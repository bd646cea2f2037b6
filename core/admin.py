from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import News


@admin.register(News)
class NewsAdmin(SimpleHistoryAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
