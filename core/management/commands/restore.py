"""``manage.py restore BACKUP_DIR``: verify the backup's checksums (a truncated or altered file
is refused before the database is touched), then restore it into the EMPTY database DATABASE_URL
names and the empty MEDIA_ROOT. ``--verify-only`` checks without restoring."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup directory (backups/oems-…)")
        parser.add_argument("--verify-only", action="store_true", help="check, do not restore")

    def handle(self, *args, backup, verify_only, **options):
        try:
            if verify_only:
                manifest = backup_verify(backup)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{backup}: every checksum matches ({len(manifest['media'])} media files)."
                    )
                )
                return
            restored = backup_restore(source=backup)
        except BackupError as error:
            raise CommandError(f"Refused: {error}") from error
        rows = sum(restored["row_counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(restored['row_counts'])} tables ({rows} rows) and "
                f"{len(restored['media'])} media files from {backup}."
            )
        )
