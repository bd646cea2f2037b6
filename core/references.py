"""The one numbering rule of human reference numbers: a letter for the kind of record, the
year and a six-digit number counted per year (``R-2026-000123`` for a receipt,
``O-2026-000045`` for an organization application). What people quote instead of a UUID or a
database "#5"."""

from datetime import date

from django.db import migrations, models, transaction

from .models import ReferenceSequence

REFERENCE_DIGITS = 6


def reference_format(prefix: str, *, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:0{REFERENCE_DIGITS}d}"


def _series_key(prefix: str, year: int) -> str:
    return f"{prefix}-{year}"


@transaction.atomic
def reference_next(prefix: str, *, on: date) -> str:
    """The next reference of ``prefix``'s series for ``on``'s year, issued once: the series'
    row stays locked until the caller's transaction ends."""
    key = _series_key(prefix, on.year)
    ReferenceSequence.objects.get_or_create(key=key)
    sequence = ReferenceSequence.objects.select_for_update().get(key=key)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return reference_format(prefix, year=on.year, sequence=sequence.last_value)


def backfill_migration(model: str, *, prefix: str, created_field: str = "created_at"):
    """A data migration's function numbering the rows of ``model`` ("app.Model") saved before it
    carried a reference: oldest first, each in the series of the year it was created, the
    series left where the next new row continues."""

    def backfill(apps, schema_editor):
        Model = apps.get_model(model)
        Sequence = apps.get_model("core", "ReferenceSequence")
        counters: dict[int, int] = {}
        for row in Model.objects.filter(reference__isnull=True).order_by(created_field, "pk"):
            year = getattr(row, created_field).year
            key = _series_key(prefix, year)
            if year not in counters:
                counters[year] = Sequence.objects.get_or_create(key=key)[0].last_value
            counters[year] += 1
            row.reference = reference_format(prefix, year=year, sequence=counters[year])
            row.save(update_fields=["reference"])
        for year, last_value in counters.items():
            Sequence.objects.filter(key=_series_key(prefix, year)).update(last_value=last_value)

    return backfill


# Migration helpers, shared by every model that gains a reference (kept as they are once a
# migration uses them): added empty and nullable, numbered by ``backfill_migration``, then
# required and unique.
def _reference_field(**options) -> models.CharField:
    return models.CharField("reference number", max_length=20, editable=False, **options)


def reference_added(model_name: str) -> list:
    return [
        migrations.AddField(
            model_name=f"historical{model_name}",
            name="reference",
            field=_reference_field(blank=True, db_index=True),
        ),
        migrations.AddField(
            model_name=model_name,
            name="reference",
            field=_reference_field(null=True, unique=True),
        ),
    ]


def reference_required(model_name: str) -> list:
    return [
        migrations.AlterField(
            model_name=model_name,
            name="reference",
            field=_reference_field(blank=True, unique=True),
        ),
    ]
