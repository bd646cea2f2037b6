"""Covering indexes for the staff searches by name at state scale (docs/performance.md, "Staff
searches: covering indexes"). A surname search on the certification and renewal lists finds a
common name's 10,000 people, then their certifications (and renewals) to sort them in the page's
order; reading each of those rows from the table was most of the time. With the columns the
search reads held in the index (``INCLUDE``, PostgreSQL 11+), PostgreSQL answers from the
index alone wherever the table's visibility map is current (VACUUM, which autovacuum runs).

- the certification's and the renewal's own foreign-key index is replaced by one that also
  holds the id and the sort column (on SQLite, without ``INCLUDE``: a plain index, as before);
- the renewal queue's search by NREMT number (case-insensitive exact) gets the index the
  certification and provider numbers have (0008): it read all 41,000 renewals;
- PostgreSQL only (the prefix index is PostgreSQL's, 0003): the name prefix index also holds
  the id and the names the provider list sorts by.

The new indexes are built before the old ones go, so no moment is left without one.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

NAME_PREFIX = "provider_name_prefix"
CREATE_COVERING_PREFIX = (
    "CREATE INDEX IF NOT EXISTS provider_name_prefix_covering ON providers_provider "
    "(UPPER(last_name) text_pattern_ops, UPPER(first_name) text_pattern_ops) "
    "INCLUDE (id, last_name, first_name)"
)
CREATE_PREFIX = (
    "CREATE INDEX IF NOT EXISTS provider_name_prefix ON providers_provider "
    "(UPPER(last_name) text_pattern_ops, UPPER(first_name) text_pattern_ops)"
)


def cover_name_prefix(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_COVERING_PREFIX)
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_PREFIX}")
        schema_editor.execute(f"ALTER INDEX provider_name_prefix_covering RENAME TO {NAME_PREFIX}")
        schema_editor.execute(
            "ANALYZE providers_provider, providers_certification, providers_renewalapplication"
        )


def uncover_name_prefix(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_PREFIX}")
        schema_editor.execute(CREATE_PREFIX)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0012_name_change_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="certification",
            index=models.Index(
                fields=["provider"], include=("id", "number"), name="certification_by_provider"
            ),
        ),
        migrations.AddIndex(
            model_name="renewalapplication",
            index=models.Index(
                fields=["certification"],
                include=("id", "complete_on"),
                name="renewal_by_certification",
            ),
        ),
        migrations.AddIndex(
            model_name="renewalapplication",
            index=models.Index(
                django.db.models.functions.text.Upper("nremt_number"), name="renewal_nremt_upper"
            ),
        ),
        migrations.AlterField(
            model_name="certification",
            name="provider",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certifications",
                to="providers.provider",
            ),
        ),
        migrations.AlterField(
            model_name="renewalapplication",
            name="certification",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="renewal_applications",
                to="providers.certification",
            ),
        ),
        migrations.RunPython(cover_name_prefix, uncover_name_prefix),
    ]
