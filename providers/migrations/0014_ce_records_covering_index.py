"""The CE records' foreign-key index to the provider becomes a covering one, ``(provider_id)
INCLUDE (id, completed_on)``: a staff search by surname reads a common name's 16,000 records and
the order it sorts them in from the index alone, as 0013 does for certifications and renewals
(docs/performance.md, "Third round"). The new index is built before the old one goes."""

import django.db.models.deletion
from django.db import migrations, models


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE providers_cerecord")


class Migration(migrations.Migration):
    dependencies = [("providers", "0013_covering_search_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="cerecord",
            index=models.Index(
                fields=["provider"], include=("id", "completed_on"), name="cerecord_by_provider"
            ),
        ),
        migrations.AlterField(
            model_name="cerecord",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ce_records",
                to="providers.provider",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
