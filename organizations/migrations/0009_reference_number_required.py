from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organizations", "0008_reference_number_backfill")]

    operations = [
        migrations.AlterField(
            model_name="organizationapplication",
            name="reference",
            field=models.CharField(
                blank=True, editable=False, max_length=20, unique=True, verbose_name="reference number"
            ),
        ),
    ]
