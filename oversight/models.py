"""The dashboard's snapshot: the figures that read every certification (or application), taken
by Celery beat every few minutes and again soon after a change that moves them, so the page
reads one row instead of counting a million certifications on each view (oversight.snapshot)."""

from django.db import models


class DashboardSnapshot(models.Model):
    for_date = models.DateField(help_text="The day the figures are computed for (status is).")
    taken_at = models.DateTimeField(db_index=True, help_text="When the figures were counted.")
    figures = models.JSONField(help_text="Figure name -> value, as oversight.snapshot stores it.")

    class Meta:
        ordering = ["-taken_at"]
        get_latest_by = "taken_at"

    def __str__(self):
        return f"Dashboard figures as of {self.taken_at:%Y-%m-%d %H:%M}"
