"""Default renewal reminder thresholds (staff edit them in the admin) and the daily beat entry
that sends the reminders (a django-celery-beat periodic task staff can change or disable)."""

from django.db import migrations

# Connecticut reminds six and three months before expiry; the shorter ones are the office's.
DEFAULT_DAYS_BEFORE = [180, 90, 60, 30, 7]
TASK_NAME = "Providers: renewal reminders (daily)"


def load(apps, schema_editor):
    Threshold = apps.get_model("providers", "ReminderThreshold")
    for days in DEFAULT_DAYS_BEFORE:
        Threshold.objects.get_or_create(days_before=days)
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="America/New_York",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "providers.tasks.send_renewal_reminders",
            "crontab": every_morning,
            "enabled": True,
            "description": "Emails each provider once per reminder threshold before their "
            "certification expires. Thresholds: Providers → Renewal reminder thresholds.",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0003_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(load, unload)]
