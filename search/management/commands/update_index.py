"""Wagtail's `update_index`, followed by a rebuild of the platform's own search index, so the
one documented command repairs every index."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search import indexing


class Command(WagtailUpdateIndex):
    def handle(self, **options):
        if not options.get("schema_only"):
            indexing.rebuild(stdout=self.stdout)
        super().handle(**options)
