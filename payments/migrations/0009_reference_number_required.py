from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payments", "0008_reference_number_backfill")]

    operations = [
        migrations.AlterField(
            model_name="payment",
            name="reference",
            field=models.CharField(
                blank=True, editable=False, max_length=20, unique=True, verbose_name="reference number"
            ),
        ),
    ]
