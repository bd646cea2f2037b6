"""The human reference number (R-YYYY-NNNNNN): added empty, filled by the next migration,
then required and unique."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_reference_sequence"),
        ("payments", "0006_finance_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpayment",
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
            model_name="payment",
            name="reference",
            field=models.CharField(
                editable=False, max_length=20, null=True, unique=True, verbose_name="reference number"
            ),
        ),
    ]
