"""Beat runs ``core.tasks.relay_outbox`` every OUTBOX_RELAY_SECONDS (10 by default; staff can
change it in the admin's periodic tasks): outbox rows the broker refused are sent when it is back."""

from django.conf import settings
from django.db import migrations

TASK_NAME = "Outbox: relay pending tasks to the broker"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(
        every=settings.OUTBOX_RELAY_SECONDS, period="seconds"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "core.tasks.relay_outbox", "interval": every, "enabled": True},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outbox"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
