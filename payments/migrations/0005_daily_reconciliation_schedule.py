"""The daily beat entry of the payment reconciliation (a django-celery-beat periodic task staff
can change or disable): every morning, for yesterday."""

from django.db import migrations

TASK_NAME = "Payments: reconcile with the processor (daily)"


def load(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="5",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="America/New_York",
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "payments.tasks.reconcile_payments",
            "crontab": every_morning,
            "enabled": True,
            "description": "Compares what the payment processor settled yesterday with the "
            "ledger; mismatches: Payments → Reconciliation runs, emailed to the finance role.",
        },
    )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0004_hosted_checkout_webhooks_offline_reconciliation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(load, unload)]
