"""Rebuild the platform's own full-text index (search entries) from the database."""

from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = "Rebuild the platform's search index (pages, deliverables, partner organisations)."

    def handle(self, *args, **options):
        indexing.rebuild(stdout=self.stdout)
