"""News posts the office publishes on the home page."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class NewsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class News(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=400, blank=True)
    body = models.TextField(help_text="Plain text; blank lines separate paragraphs.")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at"]
        verbose_name_plural = "news"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("core:news-detail", kwargs={"slug": self.slug})
