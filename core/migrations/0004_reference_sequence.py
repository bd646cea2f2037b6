"""The series of human reference numbers (core.references)."""

from django.db import migrations, models

ID = models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_schedule_relay_outbox")]

    operations = [
        migrations.CreateModel(
            name="ReferenceSequence",
            fields=[("id", ID), ("key", models.CharField(max_length=20, unique=True)), (
                "last_value", models.PositiveIntegerField(default=0)
            )],
        ),
    ]
