"""The Elasticsearch configuration: analyzers and mappings checked offline; the access rule
still applies to whatever Elasticsearch returns; a dead Elasticsearch gives a clear message;
live checks run only when ELASTICSEARCH_URL is set."""

import json
import os
from unittest import mock

import pytest
from django.conf import settings
from django.test import TestCase, override_settings
from search_helpers import (
    MARKER_A,
    MARKER_B,
    MARKER_PUBLIC,
    build_world,
    results_html,
    search_url,
    suggest_url,
)
from wagtail.models import Page, PageViewRestriction

from licensing.models import PartnerOrganisation
from repository.models import DeliverablePage
from wiki.models import WikiPage

CLOSED_PORT = {
    "default": {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": ["http://127.0.0.1:9"],
        "INDEX_PREFIX": "cop_test_",
        "TIMEOUT": 1,
        "OPTIONS": {"max_retries": 0},
        "INDEX_SETTINGS": settings.ELASTICSEARCH_INDEX_SETTINGS,
    }
}


def offline_backend():
    from wagtail.search.backends.elasticsearch8 import SearchBackend

    params = dict(CLOSED_PORT["default"])
    params.pop("BACKEND")
    return SearchBackend(params)


class AnalysisSettingsTests(TestCase):
    def test_the_default_analyzer_folds_accents_removes_elisions_and_stems_french(self):
        analyzer = offline_backend().settings["settings"]["analysis"]["analyzer"]["default"]
        self.assertEqual(analyzer["tokenizer"], "standard")
        for step in ("cop_elision", "lowercase", "asciifolding", "cop_french_stop", "cop_french_stemmer"):
            self.assertIn(step, analyzer["filter"])
        self.assertLess(
            analyzer["filter"].index("asciifolding"), analyzer["filter"].index("cop_french_stemmer")
        )

    def test_french_and_english_analyzers_are_defined_next_to_wagtails_own(self):
        analysis = offline_backend().settings["settings"]["analysis"]
        self.assertIn("edgengram_analyzer", analysis["analyzer"])
        self.assertEqual(analysis["filter"]["cop_french_stemmer"]["language"], "light_french")
        self.assertEqual(analysis["filter"]["cop_english_stemmer"]["language"], "english")
        self.assertIn("cop_english_stemmer", analysis["analyzer"]["cop_english"]["filter"])

    def test_text_fields_are_mapped_without_their_own_analyzer_so_the_french_default_applies(self):
        backend = offline_backend()
        for model, field in (
            (WikiPage, "body"),
            (DeliverablePage, "abstract"),
            (DeliverablePage, "files_text"),
        ):
            with self.subTest(model=model.__name__, field=field):
                properties = backend.mapping_class(model).get_mapping()["properties"]
                column = next(k for k in properties if k.endswith(field) or k == field)
                self.assertEqual(properties[column]["type"], "text")
                self.assertNotIn("analyzer", properties[column])

    def test_partner_organisations_are_indexed_with_a_language_filter(self):
        properties = offline_backend().mapping_class(PartnerOrganisation).get_mapping()["properties"]
        self.assertTrue(any(k.endswith("locale_id_filter") for k in properties))


class ElasticsearchAccessTests(TestCase):
    """Whatever Elasticsearch returns, the reader only gets what the access rule allows."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def every_candidate(self, query, languages):
        # An index that returns everything, private pages included.
        return list(Page.objects.values_list("pk", flat=True)), list(
            PartnerOrganisation.objects.values_list("pk", flat=True)
        )

    @override_settings(WAGTAILSEARCH_BACKENDS=CLOSED_PORT)
    def test_private_pages_returned_by_elasticsearch_are_still_filtered(self):
        with mock.patch("search.elastic._candidates", side_effect=self.every_candidate):
            self.client.force_login(self.world.member_a)
            self.assertIn(f"<mark>{MARKER_A}</mark>", results_html(self.client.get(search_url(q=MARKER_A))))
            self.assertNotIn(MARKER_B, results_html(self.client.get(search_url(q=MARKER_B))))
            self.client.logout()
            self.assertNotIn(MARKER_A, results_html(self.client.get(search_url(q=MARKER_A))))
            self.assertIn(
                f"<mark>{MARKER_PUBLIC}</mark>", results_html(self.client.get(search_url(q=MARKER_PUBLIC)))
            )


class ElasticsearchQueryTests(TestCase):
    """The query sent to Elasticsearch carries no per-page permission clause: the access rule
    runs in SQL on what Elasticsearch returns, so thousands of private pages cannot push the
    query past Elasticsearch's 1 024-clause limit (Wagtail's `.public()` adds one per page)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def sent_bodies(self, user, text="santé"):
        from modelsearch.backends.elasticsearch8 import Elasticsearch8SearchResults

        from search import analysis, elastic

        bodies = []

        def capture(results, body, **kwargs):
            bodies.append(body)
            return {"hits": {"hits": [], "total": {"value": 0}}}

        with (
            override_settings(WAGTAILSEARCH_BACKENDS=CLOSED_PORT),
            mock.patch.object(
                Elasticsearch8SearchResults, "_backend_do_search", autospec=True, side_effect=capture
            ),
        ):
            elastic.search(user, analysis.parse(text, ("fr",)), ("fr",))
        # One query for the pages, one for the partner organisations, both with the words typed.
        self.assertEqual(len(bodies), 2)
        self.assertTrue(all(text in json.dumps(body, ensure_ascii=False) for body in bodies))
        return json.dumps(bodies, sort_keys=True, default=str)

    def test_the_query_is_the_same_for_every_reader(self):
        w = self.world
        bodies = {self.sent_bodies(user) for user in (None, w.outsider, w.member_a, w.member_b, w.admin)}
        self.assertEqual(len(bodies), 1)

    def test_thousands_of_private_pages_add_no_clause_to_the_query(self):
        before = self.sent_bodies(self.world.outsider)
        pages = list(Page.objects.filter(depth__gt=2).values_list("pk", flat=True))
        PageViewRestriction.objects.bulk_create(
            PageViewRestriction(page_id=pages[n % len(pages)], restriction_type=PageViewRestriction.LOGIN)
            for n in range(3000)
        )
        after = self.sent_bodies(self.world.outsider)
        self.assertEqual(after, before)
        self.assertLess(after.count('"term'), 20)


@override_settings(WAGTAILSEARCH_BACKENDS=CLOSED_PORT)
class ElasticsearchDownTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_the_search_page_says_search_is_unavailable(self):
        self.client.force_login(self.world.member_a)
        response = self.client.get(search_url(q="santé"))
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "La recherche n'est pas disponible", status_code=503)
        self.assertNotContains(response, MARKER_A, status_code=503)

    def test_suggestions_say_search_is_unavailable_and_return_nothing(self):
        response = self.client.get(suggest_url(q="santé"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["suggestions"], [])

    def test_pages_still_render(self):
        self.client.force_login(self.world.member_a)
        self.assertEqual(self.client.get(self.world.workspace_a.url).status_code, 200)
        self.assertEqual(self.client.get("/fr/").status_code, 200)


@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set")
class LiveElasticsearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.live = {
            "default": {**CLOSED_PORT["default"], "URLS": [os.environ["ELASTICSEARCH_URL"]], "TIMEOUT": 10}
        }
        with override_settings(WAGTAILSEARCH_BACKENDS=cls.live):
            cls.world = build_world()
            from django.core.management import call_command

            call_command("update_index", verbosity=0)

    def test_accents_and_plurals_match_and_private_pages_stay_hidden(self):
        with override_settings(WAGTAILSEARCH_BACKENDS=self.live):
            self.client.force_login(self.world.member_a)
            for query in ("sante", "pratiques"):
                html = results_html(self.client.get(search_url(q=query)))
                self.assertIn("Communauté de pratique en santé mentale", html)
            self.assertNotIn(MARKER_B, results_html(self.client.get(search_url(q=MARKER_B))))
