"""`manage.py check_fixity`: re-hash every deliverable file and report those that changed."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from repository.files import describe
from repository.models import DeliverableFile


class Command(BaseCommand):
    help = "Re-hash every deliverable file and report mismatches with the recorded SHA-256 and size."

    def add_arguments(self, parser):
        parser.add_argument(
            "--record-missing",
            action="store_true",
            help="Record size, type and hash of files that have none yet (files from before checks).",
        )

    def handle(self, *args, record_missing=False, **options):
        problems = checked = 0
        files = DeliverableFile.objects.select_related("document", "page").order_by("pk")
        for deliverable_file in files.iterator(chunk_size=200):
            document = deliverable_file.document
            label = f"{deliverable_file.page.title} — {document.filename} (#{deliverable_file.pk})"
            try:
                size, mime, sha256 = describe(deliverable_file.document.file)
            except (FileNotFoundError, OSError) as error:
                problems += 1
                self.stdout.write(self.style.ERROR(f"MISSING {label}: {error}"))
                continue
            checked += 1
            if not deliverable_file.sha256:
                if record_missing:
                    DeliverableFile.objects.filter(pk=deliverable_file.pk).update(
                        size=size, mime_type=mime, sha256=sha256, fixity_checked_at=timezone.now()
                    )
                    self.stdout.write(f"RECORDED {label}")
                else:
                    self.stdout.write(self.style.WARNING(f"UNRECORDED {label}"))
                continue
            if sha256 != deliverable_file.sha256 or size != deliverable_file.size:
                problems += 1
                self.stdout.write(
                    self.style.ERROR(
                        f"MISMATCH {label}: expected {deliverable_file.sha256} "
                        f"({deliverable_file.size} bytes), found {sha256} ({size} bytes)"
                    )
                )
                continue
            DeliverableFile.objects.filter(pk=deliverable_file.pk).update(fixity_checked_at=timezone.now())
        self.stdout.write(f"{checked} file(s) checked, {problems} problem(s).")
        if problems:
            raise CommandError(f"{problems} file(s) failed the fixity check.")
