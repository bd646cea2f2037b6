"""python manage.py import_registry FILE.csv [--dry-run]: load the existing registry (columns in
docs/education.md). All or nothing: a file with any bad row imports nothing and every bad row
is reported with its line and column."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from providers.registry import RegistryImportRefused, registry_import


class Command(BaseCommand):
    help = "Import providers and certifications from a UTF-8 CSV file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Validate only; import nothing.")

    def handle(self, *args, file: Path, dry_run=False, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            result = registry_import(data=data, file_name=file.name, dry_run=dry_run)
        except RegistryImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(refused.errors)} error(s) in {file.name}; nothing was imported."
            ) from None
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{result.rows} rows are valid (dry run)."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} rows: {result.providers_created} providers created, "
                f"{result.providers_updated} updated; {result.certifications_created} "
                f"certifications created, {result.certifications_updated} updated, "
                f"{result.unchanged} unchanged."
            )
        )
