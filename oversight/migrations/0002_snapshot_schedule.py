"""The beat entry that refreshes the dashboard snapshot every five minutes (a django-celery-beat
periodic task staff can change or disable; oversight.snapshot)."""

from django.db import migrations

TASK_NAME = "Oversight: dashboard figures (every 5 minutes)"
MINUTES = 5  # oversight.snapshot.REFRESH_MINUTES when this was written


def load(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=MINUTES, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "oversight.tasks.refresh_dashboard",
            "interval": every,
            "enabled": True,
            "description": "Counts the oversight dashboard's certification and renewal figures "
            "(the page shows when they were counted).",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_dashboard_snapshot"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(load, unload)]
