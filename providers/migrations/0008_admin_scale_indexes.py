"""Indexes for the staff admin at state scale (docs/performance.md, "Staff admin at 1,000,000"):
the provider, renewal and CE record changelists' default orders, the case-insensitive exact
searches by certification, NREMT and course approval number, and (PostgreSQL only, as in 0003) the first-name prefix search
``UPPER(first_name) LIKE 'SMI%'``, which a btree serves only with ``text_pattern_ops``.

On PostgreSQL the three tables are then ANALYZEd: statistics on an expression (``UPPER(number)``)
exist only once the table is analyzed with an index on it, and until then the planner guesses
that an exact number matches thousands of rows and scans the table (measured at 1,000,000
providers: 84 ms for a search by number before ANALYZE, see docs/performance.md)."""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

CREATE_FIRST_NAME_PREFIX = (
    "CREATE INDEX IF NOT EXISTS provider_first_name_prefix ON providers_provider "
    "(UPPER(first_name) text_pattern_ops)"
)
DROP_FIRST_NAME_PREFIX = "DROP INDEX IF EXISTS provider_first_name_prefix"


def create_first_name_prefix(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FIRST_NAME_PREFIX)
        schema_editor.execute(
            "ANALYZE providers_provider, providers_certification, providers_cerecord"
        )


def drop_first_name_prefix(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FIRST_NAME_PREFIX)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0007_merge_20261121_1429"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="certification",
            index=models.Index(
                django.db.models.functions.text.Upper("number"),
                name="certification_number_upper",
            ),
        ),
        migrations.AddIndex(
            model_name="provider",
            index=models.Index(
                fields=["last_name", "first_name", "id"], name="provider_admin_order"
            ),
        ),
        migrations.AddIndex(
            model_name="provider",
            index=models.Index(
                django.db.models.functions.text.Upper("nremt_number"),
                name="provider_nremt_upper",
            ),
        ),
        migrations.AddIndex(
            model_name="renewalapplication",
            index=models.Index(fields=["complete_on", "id"], name="renewal_queue_order"),
        ),
        migrations.AddIndex(
            model_name="cerecord",
            index=models.Index(fields=["completed_on", "id"], name="cerecord_admin_order"),
        ),
        migrations.AddIndex(
            model_name="cerecord",
            index=models.Index(
                django.db.models.functions.text.Upper("approval_number"),
                name="cerecord_approval_upper",
            ),
        ),
        migrations.RunPython(create_first_name_prefix, drop_first_name_prefix),
    ]
