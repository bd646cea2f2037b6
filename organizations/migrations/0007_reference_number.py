"""The human reference number (O-YYYY-NNNNNN): added empty, filled by the next migration,
then required and unique."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_sequence"),
        ("organizations", "0006_private_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalorganizationapplication",
            name="reference",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=20,
                verbose_name="reference number",
            ),
        ),
        migrations.AddField(
            model_name="organizationapplication",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, null=True, unique=True, verbose_name="reference number"
            ),
        ),
    ]
