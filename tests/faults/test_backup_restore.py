"""Backups that restore: a backup of a seeded database (this test's database, seeded by
``seed_demo``) and its media files is restored into a fresh database this test creates and
drops; every table's row count and every file's checksum match. A truncated backup or one whose
checksum does not match is refused before the database is touched."""

import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core import backup

from .conftest import needs_postgresql_and_redis

pytestmark = [
    pytest.mark.faults,
    needs_postgresql_and_redis,
    # serialized_rollback: start from the migrated data (fees, towns, thresholds) even after
    # other transactional tests flushed it
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def fresh_database():
    source = backup.Database.from_settings()
    fresh = source.with_name(f"oems_restore_{uuid.uuid4().hex[:12]}")
    admin = source.with_name("postgres")
    admin.psql(f'CREATE DATABASE "{fresh.name}"')
    try:
        yield fresh
    finally:
        admin.psql(f'DROP DATABASE IF EXISTS "{fresh.name}" WITH (FORCE)')


@pytest.fixture
def media_files():
    """Private files under MEDIA_ROOT, as uploads and generated PDFs leave them."""
    root = Path(settings.MEDIA_ROOT)
    made = []
    for relative, content in {
        f"faults-{uuid.uuid4().hex[:8]}/private/attachment.pdf": b"%PDF-1.7 attachment",
        f"faults-{uuid.uuid4().hex[:8]}/documents/roster.pdf": b"%PDF-1.7 roster" * 100,
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        made.append(path.parent.parent)
    yield
    for directory in made:
        shutil.rmtree(directory, ignore_errors=True)


def test_a_backup_of_a_seeded_database_restores_into_a_fresh_one(
    tmp_path, fresh_database, media_files
):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    source = backup.Database.from_settings()
    made = backup.backup_create(directory=tmp_path / "backups")
    manifest = backup.backup_verify(made)
    assert manifest["media"] == backup.media_checksums(settings.MEDIA_ROOT)

    restored = backup.backup_restore(
        source=made, database=fresh_database, media_root=tmp_path / "restored-media"
    )
    expected = source.table_counts()
    assert restored["row_counts"] == expected  # every table, every row
    assert sum(expected.values()) > 1000  # the demo really was there
    assert restored["media"] == manifest["media"]

    # Restoring again into the now non-empty database is refused.
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.backup_restore(source=made, database=fresh_database, media_root=tmp_path / "m2")


def test_a_truncated_or_altered_backup_is_refused_before_the_database_is_touched(
    tmp_path, fresh_database, media_files
):
    made = backup.backup_create(directory=tmp_path / "backups")

    truncated = tmp_path / "truncated"
    shutil.copytree(made, truncated)
    dump = truncated / backup.DATABASE_FILE
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    with pytest.raises(backup.BackupError, match="truncated"):
        backup.backup_restore(source=truncated, database=fresh_database, media_root=tmp_path / "m")

    altered = tmp_path / "altered"
    shutil.copytree(made, altered)
    media = altered / backup.MEDIA_FILE
    data = bytearray(media.read_bytes())
    data[-600] ^= 0xFF  # same size, one byte changed
    media.write_bytes(bytes(data))
    with pytest.raises(backup.BackupError, match="SHA-256"):
        backup.backup_restore(source=altered, database=fresh_database, media_root=tmp_path / "m")

    assert fresh_database.table_counts() == {}  # untouched
    assert not (tmp_path / "m").exists()

    # The command says the same and exits non-zero.
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Refused: .*truncated"):
        call_command("restore", str(truncated))
