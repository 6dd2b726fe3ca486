"""Wagtail's `update_index`, after a rebuild of the platform's own search index, so the one
documented command repairs every index. With Elasticsearch, Wagtail's rebuild then sends the
rebuilt entries (`SearchEntry` is an indexed model) to their Elasticsearch index."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search import indexing


class Command(WagtailUpdateIndex):
    def handle(self, **options):
        if not options.get("schema_only"):
            indexing.rebuild(stdout=self.stdout, elasticsearch=False)
        super().handle(**options)
