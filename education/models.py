"""Approved courses: a training institution's application for course approval and, once staff
approve it, the course's state (T3) approval number. Formats live in providers.rules."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Decided, LastChanged, ends_after
from providers.models import CEComponent, CEDelivery, Credential


class CourseStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"
    DENIED = "denied", "Denied"


COURSE_TRANSITIONS = {
    CourseStatus.SUBMITTED: {CourseStatus.APPROVED, CourseStatus.DENIED},
    CourseStatus.APPROVED: set(),
    CourseStatus.DENIED: set(),
}


class CourseQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=CourseStatus.APPROVED)


class Course(Decided, LastChanged):
    institution = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text="The training institution's account that applied.",
    )
    institution_name = models.CharField("training institution", max_length=200)
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=100, db_index=True)
    description = models.TextField(blank=True)
    delivery = models.CharField(max_length=20, choices=CEDelivery.choices)
    hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(0.25)]
    )
    component = models.CharField(max_length=20, choices=CEComponent.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    instructors = models.ManyToManyField(
        Credential,
        blank=True,
        related_name="courses",
        help_text="The Instructor/Coordinators who teach it.",
    )
    status = models.CharField(
        max_length=20,
        choices=CourseStatus.choices,
        default=CourseStatus.SUBMITTED,
        db_index=True,
    )
    approval_number = models.CharField(
        "state approval number", max_length=20, unique=True, null=True, blank=True
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "title"]
        constraints = [
            ends_after("starts_on", "ends_on", same_day=True, name="course_ends_after_start"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="course_hours_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approval_number__isnull=False),
                name="approved_course_has_number",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self):
        return f"{self.approval_number or 'pending'}: {self.title}"

    def get_absolute_url(self):
        return reverse("education:course", kwargs={"pk": self.pk})
