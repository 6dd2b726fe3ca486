"""The search suites run against a real Elasticsearch 8 when TEST_ELASTICSEARCH_URL is set
(`TEST_ELASTICSEARCH_URL=http://localhost:9200 ./scripts/test tests/search`); skipped
otherwise. Not ELASTICSEARCH_URL: that one switches the whole site (and every other test) to
Elasticsearch, and `scripts/test` unsets it so that no outside server leaks into the tests.

Each class builds its content, rebuilds the indexes with `manage.py update_index`, then runs
the same tests as on the database: per-reader marker words never leak (results, counts,
facets, snippets, suggestions), guests see their area only, hostile queries never give an
error page, and French accents and plurals match. Changes made by a test reach Elasticsearch
at once (the tests run inside one transaction, so nothing would otherwise commit).
"""

import os
from unittest import mock

import pytest
import test_search_hostile_input as hostile
import test_search_permissions as permissions
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase, override_settings
from search_helpers import build_world, results_html, search_url

from search import indexing

URL = os.environ.get("TEST_ELASTICSEARCH_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="TEST_ELASTICSEARCH_URL is not set")


def live_backends(name):
    return {
        "default": {
            "BACKEND": "search.backends",
            "URLS": [URL],
            # One set of indexes per class and process: parallel workers never share one.
            "INDEX_PREFIX": f"cop_test_{os.getpid()}_{name.lower()}_",
            "TIMEOUT": 10,
            "ATOMIC_REBUILD": False,
            "INDEX_SETTINGS": settings.ELASTICSEARCH_INDEX_SETTINGS,
        }
    }


class LiveElasticsearch:
    """Mixin: the class's tests run on a live Elasticsearch, indexes rebuilt from its data."""

    @classmethod
    def setUpClass(cls):
        cls._live = override_settings(WAGTAILSEARCH_BACKENDS=live_backends(cls.__name__))
        cls._live.enable()
        try:
            super().setUpClass()
        except Exception:
            cls._live.disable()
            raise

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        call_command("update_index", verbosity=0)

    @classmethod
    def tearDownClass(cls):
        try:
            for backend in indexing.elasticsearch_backends():
                for index in backend.all_indexes():
                    index.delete()
        finally:
            super().tearDownClass()
            cls._live.disable()

    def setUp(self):
        super().setUp()
        cls = type(self)
        if getattr(cls, "_changed_by_last_test", False):
            # The database went back to the class's data; Elasticsearch must too.
            indexing.rebuild_elasticsearch()
            cls._changed_by_last_test = False

        def send_now(send):
            cls._changed_by_last_test = True
            send()
            for backend in indexing.elasticsearch_backends():
                backend.refresh_indexes()

        patcher = mock.patch("search.indexing.after_commit", side_effect=send_now)
        patcher.start()
        self.addCleanup(patcher.stop)


class LivePermissionTests(LiveElasticsearch, permissions.SearchPermissionTests):
    pass


class LiveGuestSearchTests(LiveElasticsearch, permissions.GuestSearchTests):
    pass


class LiveHostileQueryTests(LiveElasticsearch, hostile.HostileQueryTests):
    pass


class LiveLanguageTests(LiveElasticsearch, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        super().setUpTestData()

    def test_sante_sante_pratique_pratiques_find_the_same_french_page(self):
        self.client.force_login(self.world.member_a)
        for query in ("sante", "santé", "pratique", "pratiques", "SANTÉ"):
            with self.subTest(query=query):
                html = results_html(self.client.get(search_url(q=query)))
                self.assertIn("Communauté de pratique en santé mentale", html)

    def test_the_search_uses_the_live_index(self):
        from search import elastic

        self.assertEqual(type(elastic.backend()).__name__, "CopElasticsearch8SearchBackend")
