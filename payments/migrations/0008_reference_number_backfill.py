"""Number the rows saved before references existed, oldest first, per year of creation."""

from django.db import migrations

from core.references import backfill_migration


class Migration(migrations.Migration):
    dependencies = [("payments", "0007_reference_number")]

    operations = [
        migrations.RunPython(
            backfill_migration("payments.Payment", prefix="R"), migrations.RunPython.noop
        ),
    ]
