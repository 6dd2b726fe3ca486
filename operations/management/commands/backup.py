"""`manage.py backup PATH`: write a consistent archive of the database and media files."""

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write a tar archive of the database (JSON, natural keys) and MEDIA_ROOT with SHA-256 checksums."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the archive (a .tar file).")

    def handle(self, path, **options):
        try:
            manifest = write_backup(path)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}: database and {media} media files."))
