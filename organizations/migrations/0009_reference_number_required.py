from django.db import migrations

from core.references import reference_required


class Migration(migrations.Migration):
    dependencies = [("organizations", "0008_reference_number_backfill")]

    operations = reference_required("organizationapplication")
