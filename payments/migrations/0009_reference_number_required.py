from django.db import migrations

from core.references import reference_required


class Migration(migrations.Migration):
    dependencies = [("payments", "0008_reference_number_backfill")]

    operations = reference_required("payment")
