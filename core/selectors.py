"""Reads for the site frame."""

from django.db.models import QuerySet

from .models import News


def news_list(*, limit: int | None = None) -> QuerySet[News]:
    news = News.objects.published().order_by("-published_at")
    return news[:limit] if limit else news
