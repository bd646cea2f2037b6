"""The human reference number (O-YYYY-NNNNNN): added empty, filled by the next migration,
then required and unique."""

from django.db import migrations

from core.references import reference_added


class Migration(migrations.Migration):
    dependencies = [("core", "0004_reference_sequence"), ("organizations", "0006_private_files")]

    operations = reference_added("organizationapplication")
