"""The EMS Council's award categories (data staff edit afterwards) and the daily schedule of
the attestation-expiry warnings (editable in the admin under Periodic tasks)."""

from django.db import migrations

from information.constants import DEFAULT_AWARD_CATEGORIES as CATEGORIES


TASK_NAME = "Warn staff of expiring stroke-center attestations"


def forwards(apps, schema_editor):
    AwardCategory = apps.get_model("information", "AwardCategory")
    for position, (name, slug, description) in enumerate(CATEGORIES):
        AwardCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="7",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="America/New_York",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "information.tasks.warn_expiring_attestations", "crontab": schedule},
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
