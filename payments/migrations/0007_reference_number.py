"""The human reference number (R-YYYY-NNNNNN): added empty, filled by the next migration,
then required and unique."""

from django.db import migrations

from core.references import reference_added


class Migration(migrations.Migration):
    dependencies = [("core", "0004_reference_sequence"), ("payments", "0006_finance_role")]

    operations = reference_added("payment")
