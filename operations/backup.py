"""Backups that restore: one tar archive holding the database and the media files, with a
manifest of SHA-256 checksums.

The database goes in as Django's JSON serialisation (`dumpdata`, every primary key kept,
content types and permissions included), written inside one read transaction (REPEATABLE READ
on PostgreSQL, a read transaction on SQLite) so that it is a consistent snapshot. That format is
chosen over pg_dump and the SQLite backup API because it restores on either engine and is what
the round-trip test proves. Content types keep their ids on purpose: Wagtail revisions store
the page's content type id inside their JSON, so renumbered content types would corrupt every
revision of an installation whose ids differ from a fresh one. Derived data is left out and
rebuilt after a restore: sessions (everyone signs in again), login-throttling records, the
search indexes and Wagtail's reference index.

Archive layout::

    manifest.json      format, time, versions, engine, {member name: sha256}
    contenttypes.json  the content types, loaded first (pages look theirs up while loading)
    database.json      the rest of the database
    media/...          every file under MEDIA_ROOT
"""

import contextlib
import hashlib
import io
import json
import tarfile
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction
from django.db.models import signals as model_signals

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
CONTENT_TYPES = "contenttypes.json"
# Django's JSON, with full-precision times (see operations.serializer).
SERIALIZER = "cop_exact_json"
MEDIA_PREFIX = "media/"

# Rebuilt rather than restored (see the module docstring).
EXCLUDED_MODELS = [
    "sessions",
    "wagtailsearch",
    "wagtailcore.referenceindex",
    "axes",
]
EXCLUDED_APP_LABELS_OPTIONAL = ["cop_search"]


class BackupError(Exception):
    """A backup cannot be written or an archive cannot be restored; the message says why."""


def sha256_of(fileobj, chunk=1024 * 1024):
    digest = hashlib.sha256()
    for block in iter(lambda: fileobj.read(chunk), b""):
        digest.update(block)
    return digest.hexdigest()


def _excluded():
    excluded = list(EXCLUDED_MODELS)
    for label in EXCLUDED_APP_LABELS_OPTIONAL:
        with contextlib.suppress(LookupError):
            apps.get_app_config(label)
            excluded.append(label)
    return excluded


def dump_database(content_types_out, out):
    """Serialise the whole database (content types apart) as one consistent snapshot."""
    # Inside a caller's transaction the snapshot is that transaction's; otherwise open one.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        serializers.register_serializer(SERIALIZER, "operations.serializer")
        call_command("dumpdata", "contenttypes", format=SERIALIZER, stdout=content_types_out)
        call_command("dumpdata", exclude=[*_excluded(), "contenttypes"], format=SERIALIZER, stdout=out)


def write_backup(path, media_root=None):
    """Write the archive at `path` and return its manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    path = Path(path)
    files = {}
    with tempfile.TemporaryDirectory(prefix="cop-backup-") as tmp:
        db_file, ct_file = Path(tmp) / DATABASE, Path(tmp) / CONTENT_TYPES
        with ct_file.open("w", encoding="utf-8") as ct_out, db_file.open("w", encoding="utf-8") as out:
            dump_database(ct_out, out)
        for dumped in (ct_file, db_file):
            with dumped.open("rb") as fh:
                files[dumped.name] = sha256_of(fh)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(),
            "engine": connection.vendor,
            "versions": {name: version(name) for name in ("django", "wagtail")},
            "files": files,
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            archive.add(ct_file, arcname=CONTENT_TYPES)
            archive.add(db_file, arcname=DATABASE)
            for media_file in media_files:
                name = MEDIA_PREFIX + media_file.relative_to(media_root).as_posix()
                # Checksum what goes into the archive: read once, hash and add the same bytes.
                data = media_file.read_bytes()
                files[name] = hashlib.sha256(data).hexdigest()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = int(media_file.stat().st_mtime)
                archive.addfile(info, io.BytesIO(data))
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
        # Only a complete archive takes the final name.
        partial.replace(path)
    return manifest


def _safe_member_name(name):
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or "\x00" in name:
        raise BackupError(f"Unsafe path in archive: {name!r}")
    return pure


def verify_archive(path):
    """Check every member against the manifest; return the manifest or raise BackupError."""
    try:
        archive = tarfile.open(path, "r")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Not a readable backup archive: {error}") from error
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
        except (KeyError, ValueError, TypeError) as error:
            raise BackupError("The archive has no valid manifest.") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        expected = manifest.get("files", {})
        seen = set()
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            _safe_member_name(member.name)
            if not member.isfile():
                raise BackupError(f"Unexpected entry in archive: {member.name!r}")
            if member.name not in expected:
                raise BackupError(f"File not listed in the manifest: {member.name}")
            if sha256_of(archive.extractfile(member)) != expected[member.name]:
                raise BackupError(f"Checksum mismatch: {member.name}")
            seen.add(member.name)
        missing = set(expected) - seen
        if missing:
            raise BackupError(f"Files missing from the archive: {', '.join(sorted(missing))}")
    return manifest


def installation_is_empty():
    """True on a freshly migrated installation: no accounts, and no pages but Wagtail's own."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Page

    return not get_user_model().objects.exists() and Page.objects.filter(depth__gt=2).count() == 0


MODEL_SIGNALS = [
    model_signals.pre_save,
    model_signals.post_save,
    model_signals.pre_delete,
    model_signals.post_delete,
    model_signals.m2m_changed,
]


@contextlib.contextmanager
def muted_model_signals():
    """Loading a snapshot replays rows; receivers that derive data (access sync, search
    indexing, audit entries) would create rows the snapshot already holds."""
    saved = [(signal, signal.receivers, signal.sender_receivers_cache.copy()) for signal in MODEL_SIGNALS]
    try:
        for signal in MODEL_SIGNALS:
            signal.receivers = []
            signal.sender_receivers_cache.clear()
        yield
    finally:
        for signal, receivers, cache in saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()
            signal.sender_receivers_cache.update(cache)


def restore_backup(path, media_root=None, force=False):
    """Verify the archive, then replace the database content and the media files with it."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = verify_archive(path)
    if not force and not installation_is_empty():
        raise BackupError(
            "This installation already holds accounts or pages; restore into an empty one "
            "(or pass --force to replace everything)."
        )
    with tempfile.TemporaryDirectory(prefix="cop-restore-") as tmp, tarfile.open(path, "r") as archive:
        archive.extractall(tmp, filter="data")
        with transaction.atomic():
            # Empty every table, content types included: the archive brings its own, with the
            # ids its revisions refer to.
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            ContentType.objects.clear_cache()
            with muted_model_signals():
                call_command("loaddata", str(Path(tmp) / CONTENT_TYPES), verbosity=0)
                call_command("loaddata", str(Path(tmp) / DATABASE), verbosity=0)
            ContentType.objects.clear_cache()
            # Content types and permissions of models newer than the archive.
            emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        media_source = Path(tmp) / "media"
        if media_source.exists():
            for source in sorted(p for p in media_source.rglob("*") if p.is_file()):
                target = media_root / source.relative_to(media_source)
                target.parent.mkdir(parents=True, exist_ok=True)
                partial = target.with_name(target.name + ".restoring")
                partial.write_bytes(source.read_bytes())
                partial.replace(target)
    return manifest


# Derived data rebuilt after a restore, by the commands that own it.
REBUILD_COMMANDS = ["rebuild_references_index", "rebuild_search_index"]
