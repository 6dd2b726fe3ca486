"""`manage.py restore PATH`: verify an archive made by `backup` and bring it back."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from operations.backup import REBUILD_COMMANDS, BackupError, restore_backup, verify_archive


class Command(BaseCommand):
    help = "Verify the checksums of a backup archive and restore it into an empty installation."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--verify-only", action="store_true", help="Check the archive's checksums and change nothing."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of an installation that is not empty (everything in it is lost).",
        )

    def handle(self, path, verify_only=False, force=False, **options):
        try:
            if verify_only:
                manifest = verify_archive(path)
                self.stdout.write(self.style.SUCCESS(f"{len(manifest['files'])} files verified."))
                return
            manifest = restore_backup(path, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        for command in REBUILD_COMMANDS:
            self.stdout.write(f"Rebuilding: {command}")
            call_command(command, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Restored the backup of {manifest['created']} ({manifest['engine']}).")
        )
