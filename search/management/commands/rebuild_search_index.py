"""Rebuild the platform's own full-text index (search entries) from the database.

With `--lifted-embargoes`, only re-index the deliverables whose embargo has ended since they
were indexed (their files' text was kept out of search while it ran); meant for a daily job.
"""

from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = "Rebuild the platform's search index (pages, deliverables, partner organisations)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lifted-embargoes",
            action="store_true",
            help="Only re-index deliverables whose embargo has ended.",
        )

    def handle(self, *args, **options):
        if options["lifted_embargoes"]:
            count = indexing.reindex_lifted_embargoes()
            self.stdout.write(f"{count} deliverables re-indexed after their embargo ended.\n")
            return
        indexing.rebuild(stdout=self.stdout)
