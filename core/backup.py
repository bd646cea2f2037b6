"""Backups that restore: the database (pg_dump, custom format) and every file under MEDIA_ROOT
(the private uploads and generated PDFs), with a manifest of SHA-256 checksums.

A backup is a directory::

    oems-20261201T230000Z/
      database.dump      pg_dump --format=custom
      media.tar          every file under MEDIA_ROOT, paths relative to it
      manifest.json      sizes and SHA-256 of both, each media file's SHA-256, row counts

``backup_verify`` checks a backup against its manifest (a truncated or altered file is refused)
and ``backup_restore`` runs it first, so a bad backup never touches the database. The restore
target must be an empty database (no tables), and its media root empty or absent. Operators'
how-to: docs/reliability.md.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
FORMAT_VERSION = 1


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> SHA-256)."""
    root = Path(root)
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): sha256_of(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass(frozen=True)
class Database:
    name: str
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_settings(cls, alias: str = "default") -> "Database":
        config = connections[alias].settings_dict
        if not config["ENGINE"].endswith("postgresql"):
            raise BackupError(
                "Backups need PostgreSQL (DATABASE_URL=postgres://…); the SQLite file of "
                "development is copied like any file."
            )
        return cls(
            name=config["NAME"],
            host=config.get("HOST") or "127.0.0.1",
            port=str(config.get("PORT") or 5432),
            user=config.get("USER") or "postgres",
            password=config.get("PASSWORD") or "",
        )

    def with_name(self, name: str) -> "Database":
        return Database(name, self.host, self.port, self.user, self.password)

    def args(self) -> list[str]:
        return ["--host", self.host, "--port", self.port, "--username", self.user]

    def env(self) -> dict[str, str]:
        return {**os.environ, "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "5"}

    def psql(self, sql: str) -> str:
        result = _run(
            ["psql", *self.args(), "--dbname", self.name, "-XAtq", "-v", "ON_ERROR_STOP=1"]
            + ["-c", sql],
            env=self.env(),
        )
        return result.stdout

    def table_counts(self) -> dict[str, int]:
        """Rows of every table in the public schema (exact counts)."""
        tables = [
            line
            for line in self.psql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            ).split()
            if line
        ]
        if not tables:
            return {}
        union = " UNION ALL ".join(
            f"SELECT '{table}', count(*) FROM public.\"{table}\"" for table in tables
        )
        counts = {}
        for line in self.psql(union).splitlines():
            table, count = line.split("|")
            counts[table] = int(count)
        return counts


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools).") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()[:2000]}") from error


def backup_create(*, directory: Path, database: Database | None = None, media_root=None) -> Path:
    """Write a new backup directory under ``directory``; returns its path."""
    database = database or Database.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
    target = Path(directory) / f"oems-{stamp}"
    target.mkdir(parents=True)
    dump = target / DATABASE_FILE
    _run(
        ["pg_dump", *database.args(), "--format=custom", "--no-owner", "--file", str(dump)]
        + [database.name],
        env=database.env(),
    )
    files = media_checksums(media_root)
    with tarfile.open(target / MEDIA_FILE, "w") as archive:
        for relative in files:
            archive.add(media_root / relative, arcname=relative, recursive=False)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "database": database.name,
        "files": {
            name: {"bytes": (target / name).stat().st_size, "sha256": sha256_of(target / name)}
            for name in (DATABASE_FILE, MEDIA_FILE)
        },
        "media": files,
        # Counted after the dump: exact when nothing writes meanwhile (a rehearsal), close otherwise.
        "row_counts": database.table_counts(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


def backup_verify(source: Path) -> dict:
    """The manifest, once every file matches its size and checksum; else BackupError."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(
            f"{source} has no {MANIFEST}: not a backup, or an incomplete one."
        ) from error
    except json.JSONDecodeError as error:
        raise BackupError(f"{source / MANIFEST} is damaged (not JSON): {error}.") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{name} is missing from the backup.")
        size = path.stat().st_size
        if size != expected["bytes"]:
            raise BackupError(
                f"{name} is truncated or altered: {size} bytes, the manifest says "
                f"{expected['bytes']}."
            )
        if sha256_of(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match its SHA-256 checksum in the manifest.")
    with tarfile.open(source / MEDIA_FILE) as archive:
        names = {member.name for member in archive.getmembers() if member.isfile()}
    if names != set(manifest["media"]):
        raise BackupError("media.tar does not hold the files the manifest lists.")
    return manifest


def backup_restore(*, source: Path, database: Database | None = None, media_root=None) -> dict:
    """Restore a verified backup into an empty database and an empty media root. Returns the
    restored database's row counts and the media files' checksums."""
    manifest = backup_verify(source)  # refuses a bad backup before anything is touched
    source = Path(source)
    database = database or Database.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    existing = database.table_counts()
    if existing:
        raise BackupError(
            f"Database {database.name!r} is not empty ({len(existing)} tables); restore only "
            "into an empty database (createdb a new one, then point DATABASE_URL at it)."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"MEDIA_ROOT {media_root} is not empty; restore into an empty one.")
    _run(
        ["pg_restore", *database.args(), "--dbname", database.name, "--no-owner"]
        + ["--exit-on-error", "--single-transaction", str(source / DATABASE_FILE)],
        env=database.env(),
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent) as staging:
        with tarfile.open(source / MEDIA_FILE) as archive:
            archive.extractall(staging, filter="data")
        for relative in manifest["media"]:
            target = media_root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(Path(staging) / relative), target)
    restored_media = media_checksums(media_root)
    if restored_media != manifest["media"]:
        raise BackupError("The restored media files do not match the manifest's checksums.")
    return {"row_counts": database.table_counts(), "media": restored_media}
