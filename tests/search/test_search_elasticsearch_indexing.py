"""With Elasticsearch configured, its index of search entries follows publish, unpublish,
move and delete once the change commits, never breaks editing when it is down, and is
rebuilt by `rebuild_search_index` and `update_index` (offline: the index calls are captured)."""

import io
from unittest import mock

from django.core.management import call_command
from django.db.models.signals import post_delete
from django.test import TestCase, override_settings
from search_helpers import build_world
from test_search_elasticsearch import CLOSED_PORT
from wagtail.models import Page

from search import signals
from search.backends import CopElasticsearch8Mapping, CopElasticsearch8SearchBackend
from search.models import SearchEntry

NO_ATOMIC_REBUILD = {"default": {**CLOSED_PORT["default"], "ATOMIC_REBUILD": False}}


@override_settings(WAGTAILSEARCH_BACKENDS=CLOSED_PORT)
class FollowChangesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        self.add = mock.patch.object(CopElasticsearch8SearchBackend, "add_bulk", autospec=True).start()
        self.delete = mock.patch.object(CopElasticsearch8SearchBackend, "delete", autospec=True).start()
        self.addCleanup(mock.patch.stopall)

    def sent_documents(self):
        mapping = CopElasticsearch8Mapping(SearchEntry)
        return [mapping.get_document(entry) for call in self.add.call_args_list for entry in call.args[2]]

    def deleted_ids(self):
        return [call.args[1].pk for call in self.delete.call_args_list]

    def test_a_published_revision_reaches_elasticsearch_when_it_commits(self):
        page = self.world.page_a
        page.title = "Pratiques de dépistage renouvelées"
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            page.save_revision().publish()
        self.add.assert_not_called()
        for callback in callbacks:
            callback()
        titles = [document["title_fr"] for document in self.sent_documents()]
        self.assertIn("Pratiques de dépistage renouvelées", titles)

    def test_an_unpublished_page_leaves_elasticsearch(self):
        entry_id = SearchEntry.objects.get(page_id=self.world.page_b.pk).pk
        with self.captureOnCommitCallbacks(execute=True):
            self.world.page_b.unpublish()
        self.assertIn(entry_id, self.deleted_ids())

    def test_a_moved_page_is_sent_with_its_new_ancestors(self):
        page = Page.objects.get(pk=self.world.page_a.pk)
        with self.captureOnCommitCallbacks(execute=True):
            page.move(self.world.workspace_b, pos="last-child")
        moved = [
            d for d in self.sent_documents() if d["pk"] == str(SearchEntry.objects.get(page_id=page.pk).pk)
        ]
        self.assertTrue(moved)
        self.assertIn(self.world.workspace_b.path, moved[-1]["ancestor_paths_filter"])
        self.assertNotIn(self.world.workspace_a.path, moved[-1]["ancestor_paths_filter"])

    def test_a_deleted_page_leaves_elasticsearch(self):
        # Connected at start-up when Elasticsearch is configured; the tests run without it.
        post_delete.connect(signals.entry_deleted, sender=SearchEntry, dispatch_uid="test_entry_deleted")
        self.addCleanup(post_delete.disconnect, sender=SearchEntry, dispatch_uid="test_entry_deleted")
        entry_id = SearchEntry.objects.get(page_id=self.world.page_a.pk).pk
        with self.captureOnCommitCallbacks(execute=True):
            Page.objects.get(pk=self.world.page_a.pk).delete()
        self.assertIn(entry_id, self.deleted_ids())

    def test_editing_works_while_elasticsearch_is_down(self):
        self.add.side_effect = ConnectionError("refused")
        page = self.world.page_a
        page.title = "Titre pendant la panne"
        with self.assertLogs("search.indexing", "ERROR"), self.captureOnCommitCallbacks(execute=True):
            page.save_revision().publish()
        self.assertEqual(SearchEntry.objects.get(page_id=page.pk).title, "Titre pendant la panne")
        self.assertTrue(Page.objects.get(pk=page.pk).live)


class DatabaseBackendTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_without_elasticsearch_nothing_is_sent_and_wagtail_does_not_index_entries(self):
        with (
            mock.patch.object(CopElasticsearch8SearchBackend, "add_bulk") as add,
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.world.page_a.save_revision().publish()
        add.assert_not_called()
        self.assertFalse(SearchEntry.get_indexed_objects().exists())


@override_settings(WAGTAILSEARCH_BACKENDS=NO_ATOMIC_REBUILD)
class RebuildTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        from modelsearch.backends.elasticsearch8 import Elasticsearch8Index

        self.patches = {
            name: mock.patch.object(Elasticsearch8Index, name, autospec=True).start()
            for name in ("put", "delete", "refresh", "add_model", "add_items")
        }
        self.addCleanup(mock.patch.stopall)

    def sent_entry_ids(self):
        return sorted(
            entry.pk
            for call in self.patches["add_items"].call_args_list
            if call.args[1] is SearchEntry
            for entry in call.args[2]
        )

    def test_rebuild_search_index_rebuilds_the_elasticsearch_index_of_entries(self):
        call_command("rebuild_search_index", stdout=io.StringIO())
        self.assertEqual(self.sent_entry_ids(), sorted(SearchEntry.objects.values_list("pk", flat=True)))
        index = self.patches["put"].call_args.args[0]
        self.assertEqual(index.name, "cop_test_cop_search_searchentry")
        self.patches["add_model"].assert_any_call(index, SearchEntry)

    def test_update_index_sends_every_entry_once(self):
        call_command("update_index", stdout=io.StringIO())
        self.assertEqual(self.sent_entry_ids(), sorted(SearchEntry.objects.values_list("pk", flat=True)))
