"""`manage.py extract_text`: (re-)extract the text of deliverable files for search."""

from django.core.management.base import BaseCommand

from repository.files import refresh_files
from repository.models import DeliverableFile, DeliverablePage


class Command(BaseCommand):
    help = (
        "Extract the text of deliverable files not yet read (or of every file with --all), in a "
        "time- and memory-bounded child process, and refresh the deliverables' search text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Extract again files already read.")

    def handle(self, *args, all=False, **options):
        files = DeliverableFile.objects.all()
        if not all:
            files = files.filter(text_extracted_at=None)
        pages = DeliverablePage.objects.filter(pk__in=files.values("page_id"))
        count = 0
        for page in pages.iterator(chunk_size=100):
            if refresh_files(page, force=all):
                count += 1
        self.stdout.write(f"Text extracted for {count} deliverable(s).")
