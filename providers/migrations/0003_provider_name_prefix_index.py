"""Public verification by name looks up an equal last name and a first-name prefix
(``UPPER(first_name) LIKE 'AL%'``). A btree index serves LIKE prefixes only with the
``text_pattern_ops`` operator class whatever the collation, and that is PostgreSQL-only, so
this index is created on PostgreSQL and skipped on SQLite (where the demo and tests are small).
Measured in benchmarks/verify_load.py; see docs/performance.md."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS provider_name_prefix ON providers_provider "
    "(UPPER(last_name) text_pattern_ops, UPPER(first_name) text_pattern_ops)"
)
DROP = "DROP INDEX IF EXISTS provider_name_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("providers", "0002_initial_data")]

    operations = [migrations.RunPython(create, drop)]
