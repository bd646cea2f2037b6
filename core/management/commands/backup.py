"""``manage.py backup [--dir backups]``: pg_dump + every file under MEDIA_ROOT + a manifest with
SHA-256 checksums (core.backup; how often and how to rehearse a restore: docs/reliability.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and MEDIA_ROOT, with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups", help="where the backup directory goes")

    def handle(self, *args, dir, **options):
        try:
            target = backup_create(directory=Path(dir))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
