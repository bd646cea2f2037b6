"""The beat entry that refreshes the dashboard snapshot every five minutes (a django-celery-beat
periodic task staff can change or disable; oversight.snapshot)."""

from django.db import migrations

TASK_NAME = "Oversight: dashboard figures (every 5 minutes)"
DESCRIPTION = "Counts the oversight dashboard's certification and renewal figures (the page "
DESCRIPTION += "shows when they were counted)."


def load(apps, schema_editor):
    beat = "django_celery_beat"
    interval = apps.get_model(beat, "IntervalSchedule").objects.get_or_create(
        every=5, period="minutes"
    )[0]
    task = {"task": "oversight.tasks.refresh_dashboard", "description": DESCRIPTION}
    apps.get_model(beat, "PeriodicTask").objects.get_or_create(
        name=TASK_NAME, defaults={**task, "interval": interval}
    )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_dashboard_snapshot"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(load, unload)]
