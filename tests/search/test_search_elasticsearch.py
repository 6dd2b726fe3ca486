"""The Elasticsearch path, offline: analyzers and mappings; the request sent to the client
carries the reader's access rule inside the query (one `terms` clause however many pages are
private, changed at once by a privacy change); results, counts and facets come from that one
filtered request; a dead or wrong backend makes search say it is unavailable."""

import json
from unittest import mock

import elasticsearch
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings
from search_helpers import (
    MARKER_A,
    MARKER_B,
    add_guest_area,
    build_world,
    results_html,
    search_url,
    suggest_url,
)
from wagtail.models import Page, PageViewRestriction

from repository.models import DeliverablePage
from search import analysis, elastic
from search.backends import CopElasticsearch8Mapping, CopElasticsearch8SearchBackend
from search.models import SearchEntry
from wiki import access
from wiki.models import WikiPage

CLOSED_PORT = {
    "default": {
        "BACKEND": "search.backends",
        "URLS": ["http://127.0.0.1:9"],
        "INDEX_PREFIX": "cop_test_",
        "TIMEOUT": 1,
        "OPTIONS": {"max_retries": 0},
        "INDEX_SETTINGS": settings.ELASTICSEARCH_INDEX_SETTINGS,
    }
}
STOCK_BACKEND = {"default": {**CLOSED_PORT["default"], "BACKEND": "wagtail.search.backends.elasticsearch8"}}
PATHS = "ancestor_paths_filter"
EMPTY_RESPONSE = {"hits": {"total": {"value": 0, "relation": "eq"}, "hits": []}, "aggregations": {}}


def offline_backend():
    params = dict(CLOSED_PORT["default"])
    params.pop("BACKEND")
    return CopElasticsearch8SearchBackend(params)


def entry_mapping():
    return CopElasticsearch8Mapping(SearchEntry).get_mapping()["properties"]


def clauses(node, kinds=("term", "terms", "match", "multi_match", "exists", "match_all", "prefix")):
    """Every query clause of a request body, as (kind, argument) pairs."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in kinds:
                found.append((key, value))
            found.extend(clauses(value, kinds))
    elif isinstance(node, list):
        for item in node:
            found.extend(clauses(item, kinds))
    return found


def path_lists(body):
    """The lists of page paths the request's `terms` clauses on `ancestor_paths` hold."""
    return [value[PATHS] for kind, value in clauses(body["query"]) if kind == "terms" and PATHS in value]


class SentRequests:
    """Capture what reaches the Elasticsearch client's `search` (the exact keyword arguments),
    answering `response`."""

    def __init__(self, response=EMPTY_RESPONSE):
        self.response = response
        self.bodies = []
        self.clients = []

    def __enter__(self):
        def capture(client, **kwargs):
            self.bodies.append(kwargs)
            self.clients.append(client)
            return self.response

        self.patches = [
            override_settings(WAGTAILSEARCH_BACKENDS=CLOSED_PORT),
            mock.patch.object(elasticsearch.Elasticsearch, "search", autospec=True, side_effect=capture),
        ]
        for patch in self.patches:
            patch.__enter__()
        return self

    def __exit__(self, *exc):
        for patch in reversed(self.patches):
            patch.__exit__(*exc)


def sent_body(user, text="santé", languages=("fr",), **kwargs):
    with SentRequests() as sent:
        elastic.search(user, analysis.parse(text, languages), languages, **kwargs)
    assert len(sent.bodies) == 1, "one request for results, count and facets"
    return sent.bodies[0]


def add_private_pages(parent, count):
    """`count` private pages under `parent`, created in bulk (each with a restriction nobody
    but administrators passes)."""
    page_type = ContentType.objects.get_for_model(Page)
    first = 1000
    pages = Page.objects.bulk_create(
        Page(
            title=f"Page privée {n}",
            draft_title=f"Page privée {n}",
            slug=f"page-privee-{n}",
            path=parent.path + Page._int2str(first + n).rjust(Page.steplen, "0"),
            depth=parent.depth + 1,
            numchild=0,
            content_type=page_type,
            locale_id=parent.locale_id,
            live=True,
        )
        for n in range(count)
    )
    PageViewRestriction.objects.bulk_create(
        PageViewRestriction(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")
        for page in pages
    )
    return pages


class MappingTests(TestCase):
    def test_each_languages_text_fields_use_that_languages_analyzer(self):
        properties = entry_mapping()
        for field in ("title_fr", "text_fr", "tags_fr"):
            with self.subTest(field=field):
                self.assertEqual(
                    properties[field], {**properties[field], "type": "text", "analyzer": "cop_french"}
                )
        for field in ("title_en", "text_en", "tags_en"):
            with self.subTest(field=field):
                self.assertEqual(properties[field]["analyzer"], "cop_english")

    def test_the_analyzers_named_by_the_mapping_are_defined_in_the_index_settings(self):
        analyzers = offline_backend().settings["settings"]["analysis"]["analyzer"]
        names = {
            value
            for mapping in entry_mapping().values()
            for key, value in mapping.items()
            if key in ("analyzer", "search_analyzer")
        }
        self.assertTrue(names <= set(analyzers), names - set(analyzers))
        self.assertEqual(analyzers["cop_french"]["tokenizer"], "standard")
        self.assertIn("asciifolding", analyzers["cop_french"]["filter"])
        self.assertIn("cop_french_stemmer", analyzers["cop_french"]["filter"])
        self.assertIn("cop_english_stemmer", analyzers["cop_english"]["filter"])

    def test_typed_accents_are_folded_when_completing_titles(self):
        properties = entry_mapping()
        analyzer = offline_backend().settings["settings"]["analysis"]["analyzer"]["cop_autocomplete"]
        self.assertEqual(properties["title_edgengrams"]["search_analyzer"], "cop_autocomplete")
        self.assertIn("asciifolding", analyzer["filter"])

    def test_paths_facets_and_page_type_are_exact_values(self):
        properties = entry_mapping()
        for field in (PATHS, "kind_filter", "language_filter", "workspace_key_filter", "tag_names_filter"):
            with self.subTest(field=field):
                self.assertEqual(properties[field]["type"], "keyword")
        self.assertEqual(properties["page_type_filter"]["type"], "integer")
        self.assertEqual(properties["date_filter"]["type"], "date")

    def test_wagtails_page_fields_keep_the_french_first_default_analyzer(self):
        backend = offline_backend()
        analyzer = backend.settings["settings"]["analysis"]["analyzer"]["default"]
        self.assertLess(
            analyzer["filter"].index("asciifolding"), analyzer["filter"].index("cop_french_stemmer")
        )
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


class DocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def document(self, **lookup):
        entry = SearchEntry.objects.get(**lookup)
        return CopElasticsearch8Mapping(SearchEntry).get_document(entry)

    def test_a_pages_document_lists_its_path_and_every_ancestors(self):
        page = self.world.page_a
        document = self.document(page_id=page.pk)
        expected = [ancestor.path for ancestor in page.get_ancestors(inclusive=True)]
        self.assertEqual(document[PATHS], expected)
        self.assertIn(self.world.workspace_a.path, document[PATHS])
        self.assertEqual(document["page_type_filter"], page.content_type_id)

    def test_a_french_pages_text_goes_to_the_french_fields_only(self):
        document = self.document(page_id=self.world.page_a.pk)
        self.assertIn(MARKER_A, document["text_fr"])
        self.assertEqual(document["title_fr"], "Pratiques de repérage")
        self.assertEqual((document["title_en"], document["text_en"]), ("", ""))
        self.assertEqual(document["language_filter"], "fr")

    def test_a_partner_organisation_has_no_path_and_no_page_type(self):
        document = self.document(partner_id=self.world.partner.pk)
        self.assertEqual(document[PATHS], [])
        self.assertIsNone(document["page_type_filter"])


class RequestRuleTests(TestCase):
    """The request sent for each kind of reader carries their rule in `bool.filter`."""

    @classmethod
    def setUpTestData(cls):

        cls.world = build_world()
        w = cls.world
        cls.area, cls.below_area, cls.guest = add_guest_area(w, "invite-es")

    def test_a_member_is_kept_from_the_other_workspace_by_one_terms_clause(self):
        body = sent_body(self.world.member_a)
        lists = path_lists(body)
        self.assertEqual(len(lists), 1)
        self.assertIn(self.world.workspace_b.path, lists[0])
        self.assertNotIn(self.world.workspace_a.path, lists[0])
        self.assertIn(
            {"bool": {"must_not": [{"terms": {PATHS: lists[0]}}]}},
            body["query"]["function_score"]["query"]["bool"]["filter"],
        )

    def test_two_thousand_private_pages_are_one_clause_holding_their_paths(self):
        before = sent_body(self.world.member_a)
        pages = add_private_pages(self.world.workspace_a, 2000)
        after = sent_body(self.world.member_a)
        lists = path_lists(after)
        self.assertEqual(len(lists), 1)
        self.assertTrue({page.path for page in pages} <= set(lists[0]))
        # The same clauses as before: the paths are values of one clause, not clauses.
        self.assertEqual(len(clauses(after)), len(clauses(before)))
        self.assertLess(len(clauses(after)), 40)

    def test_making_a_page_private_changes_the_next_request_without_reindexing(self):
        page_a = self.world.page_a
        with mock.patch("search.indexing.send_to_elasticsearch") as send:
            self.assertNotIn(page_a.path, path_lists(sent_body(self.world.member_a))[0])
            PageViewRestriction.objects.create(
                page=page_a, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )
            self.assertIn(page_a.path, path_lists(sent_body(self.world.member_a))[0])
        send.assert_not_called()

    def test_visitors_get_the_page_types_they_may_see_and_every_restricted_path(self):
        body = sent_body(None)
        page_type_clauses = [
            value for kind, value in clauses(body["query"]) if kind == "terms" and "page_type_filter" in value
        ]
        self.assertEqual(
            [set(value["page_type_filter"]) for value in page_type_clauses],
            [{ct.pk for ct in access.anonymous_page_types()}],
        )
        restricted = set(PageViewRestriction.objects.values_list("page__path", flat=True))
        blocked = path_lists(body)[0]
        self.assertTrue(set(blocked) <= restricted)
        # Pages below a listed page are covered by it (their documents list it too).
        for path in restricted:
            with self.subTest(path=path):
                self.assertTrue(any(path.startswith(listed) for listed in blocked))

    def test_private_pages_inside_a_blocked_workspace_need_no_path_of_their_own(self):
        inside = add_private_pages(self.world.workspace_b, 50)
        blocked = path_lists(sent_body(self.world.member_a))[0]
        self.assertIn(self.world.workspace_b.path, blocked)
        self.assertFalse({page.path for page in inside} & set(blocked))

    def test_a_superuser_has_no_rule_clause(self):
        body = sent_body(self.world.admin)
        self.assertEqual(path_lists(body), [])
        self.assertNotIn("page_type_filter", json.dumps(body))

    def test_a_guest_may_also_read_the_area_they_were_invited_to(self):
        body = sent_body(self.guest)
        alternatives = [
            value
            for value in clauses(body["query"], kinds=("should",))
            if any(PATHS in json.dumps(item) for item in value[1])
        ]
        self.assertEqual(len(alternatives), 1)
        readable, as_guest = alternatives[0][1]
        self.assertIn(self.world.workspace_b.path, readable["bool"]["must_not"][0]["terms"][PATHS])
        self.assertEqual(as_guest["bool"]["filter"], [{"term": {PATHS: self.area.path}}])
        still_blocked = as_guest["bool"].get("must_not", [{"terms": {PATHS: []}}])[0]["terms"][PATHS]
        # The workspace's restriction is lifted for the area; the other workspace's is not, nor
        # one set below the area (which the reader's own list covers by the workspace's path).
        self.assertNotIn(self.world.workspace_b.path, still_blocked)
        self.assertIn(self.world.workspace_a.path, still_blocked)
        self.assertIn(self.below_area.path, still_blocked)
        self.assertNotIn(self.below_area.path, readable["bool"]["must_not"][0]["terms"][PATHS])

    def test_a_reader_without_a_guest_invitation_has_no_alternative(self):
        self.assertEqual(clauses(sent_body(self.world.member_a)["query"], kinds=("should",)), [])


class RequestShapeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_typed_text_only_reaches_match_queries_never_a_query_string(self):
        hostile = 'title:santé OR *:* AND "x" ^2 ~ [a TO z] /.*/'
        body = json.dumps(sent_body(self.world.member_a, hostile), ensure_ascii=False)
        self.assertNotIn("query_string", body)
        self.assertNotIn("*:*", body)
        matched = [
            value["query"] for kind, value in clauses(json.loads(body)["query"]) if kind == "multi_match"
        ]
        self.assertIn("sante", matched)

    def test_every_word_must_match_and_a_quoted_phrase_is_a_phrase(self):
        body = sent_body(self.world.member_a, 'pratiques "soins palliatifs"')
        matches = [value for kind, value in clauses(body["query"]) if kind == "multi_match"]
        self.assertEqual(
            sorted((m["query"], m.get("type", "best_fields")) for m in matches),
            [("pratiques", "best_fields"), ("soins palliatifs", "phrase")],
        )
        self.assertIn("title_fr^6", matches[0]["fields"])
        self.assertIn("text_en", matches[0]["fields"])

    def test_paging_total_facets_and_language_scope_are_part_of_the_one_request(self):
        body = sent_body(self.world.member_a, offset=20, limit=10)
        self.assertEqual((body["from_"], body["size"]), (20, 10))
        self.assertIs(body["track_total_hits"], True)
        self.assertEqual(body["post_filter"], {"terms": {"language_filter": ["fr"]}})
        self.assertEqual(
            set(body["aggs"]["in_scope"]["aggs"]),
            {"workspace", "kind", "deliverable_type", "year", "licence", "tag"},
        )

    def test_filters_become_term_filters_next_to_the_rule(self):
        workspace = self.world.workspace_a.translation_key
        body = sent_body(
            self.world.member_a, filters={"kind": "wiki", "tag": "santé", "workspace": workspace}
        )
        # Wagtail's compiler turns the queryset filters into these clauses.
        terms = clauses(body["query"]["function_score"]["query"]["bool"]["filter"], kinds=("term",))
        self.assertIn(("term", {"kind_filter": "wiki"}), terms)
        self.assertIn(("term", {"tag_names_filter": "santé"}), terms)
        self.assertIn(("term", {"workspace_key_filter": workspace}), terms)
        self.assertEqual(len(path_lists(body)), 1)

    def test_every_request_is_one_the_official_clients_query_dsl_can_read(self):
        from elasticsearch.dsl import Search

        requests = [
            sent_body(None),
            sent_body(self.world.member_a, 'pratiques "soins palliatifs"', sort="date"),
            sent_body(self.world.admin, filters={"kind": "wiki", "tag": "santé"}),
        ]
        with SentRequests() as sent:
            self.client.get(suggest_url(q="prat"))
        requests.extend(sent.bodies)
        for body in requests:
            request = {key: value for key, value in body.items() if key != "index"}
            request["from"] = request.pop("from_")
            request["_source"] = request.pop("source")
            with self.subTest(body=body):
                # Raises on any query or aggregation Elasticsearch does not know.
                self.assertEqual(Search.from_dict(request).to_dict()["size"], body["size"])

    def test_a_search_is_bounded_in_time_by_the_client_and_by_elasticsearch(self):
        with SentRequests() as sent:
            elastic.search(self.world.member_a, analysis.parse("santé", ("fr",)), ("fr",))
        self.assertEqual(sent.clients[0]._request_timeout, 3)
        self.assertEqual(sent.bodies[0]["timeout"], "3s")

    def test_sorting_by_date_is_done_by_elasticsearch(self):
        body = sent_body(self.world.member_a, sort="date")
        self.assertEqual(body["sort"][0], {"date_filter": {"order": "desc", "missing": "_last"}})

    def test_suggestions_complete_the_last_word_within_the_same_rule(self):
        with SentRequests() as sent:
            self.client.force_login(self.world.member_a)
            self.client.get(suggest_url(q="prat"))
        body = sent.bodies[0]
        self.assertEqual(body["size"], 8)
        self.assertNotIn("aggs", body)
        self.assertIn(
            ("multi_match", {"query": "prat", "type": "phrase_prefix", "fields": mock.ANY}),
            clauses(body["query"]),
        )
        self.assertEqual(len(path_lists(body)), 1)


class ResultsTests(TestCase):
    """What Elasticsearch answers becomes the page: its total, its order, its facets."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def response(self, entries, total):
        return {
            "hits": {
                "total": {"value": total, "relation": "eq"},
                "hits": [{"_score": 10.0 - n, "fields": {"pk": [str(e.pk)]}} for n, e in enumerate(entries)],
            },
            "aggregations": {
                "language": {"buckets": [{"key": "fr", "doc_count": total}, {"key": "en", "doc_count": 3}]},
                "in_scope": {
                    "doc_count": total,
                    "kind": {"buckets": [{"key": "wiki", "doc_count": total}]},
                    "deliverable_type": {"buckets": [{"key": "", "doc_count": total}]},
                    "year": {"buckets": [{"key": 2026, "doc_count": 2}]},
                    "workspace": {
                        "buckets": [{"key": str(self.world.workspace_a.translation_key), "doc_count": 4}]
                    },
                },
            },
        }

    def test_the_total_order_and_facets_are_elasticsearchs(self):
        entries = [
            SearchEntry.objects.get(page_id=self.world.public_deliverable.pk),
            SearchEntry.objects.get(page_id=self.world.page_a.pk),
        ]
        with SentRequests(self.response(entries, 1234)):
            results = elastic.search(self.world.member_a, analysis.parse("santé", ("fr",)), ("fr",))
        self.assertEqual(results.total, 1234)
        self.assertEqual([hit.pk for hit in results.hits], [e.pk for e in entries])
        self.assertEqual(results.facets["language"], [("fr", 1234), ("en", 3)])
        self.assertEqual(results.facets["kind"], [("wiki", 1234)])
        self.assertEqual(results.facets["deliverable_type"], [])
        self.assertEqual(results.facets["year"], [(2026, 2)])
        self.assertEqual(results.facets["workspace"], [(self.world.workspace_a.translation_key, 4)])

    def test_the_search_page_shows_elasticsearchs_count_and_snippets(self):
        entry = SearchEntry.objects.get(page_id=self.world.page_a.pk)
        with SentRequests(self.response([entry], 1)):
            self.client.force_login(self.world.member_a)
            html = results_html(self.client.get(search_url(q=MARKER_A)))
        self.assertIn(f"<mark>{MARKER_A}</mark>", html)
        self.assertIn("Pratiques de repérage", html)

    def test_a_stale_index_returning_a_forbidden_entry_still_shows_nothing_of_it(self):
        entry = SearchEntry.objects.get(page_id=self.world.page_b.pk)
        with SentRequests(self.response([entry], 1)):
            self.client.force_login(self.world.member_a)
            html = results_html(self.client.get(search_url(q=MARKER_B)))
        self.assertNotIn(MARKER_B, html)
        self.assertNotIn('class="search-hit"', html)


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
        self.assertNotContains(response, 'class="search-hit"', status_code=503)

    def test_suggestions_say_search_is_unavailable_and_return_nothing(self):
        response = self.client.get(suggest_url(q="santé"))
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["suggestions"], [])

    def test_pages_still_render(self):
        self.client.force_login(self.world.member_a)
        self.assertEqual(self.client.get(self.world.workspace_a.url).status_code, 200)
        self.assertEqual(self.client.get("/fr/").status_code, 200)

    def test_a_timeout_or_an_error_answer_also_says_unavailable(self):
        self.client.force_login(self.world.member_a)
        failures = [
            elasticsearch.ConnectionTimeout("timed out"),
            elasticsearch.ApiError("search_phase_execution_exception", meta=mock.Mock(status=400), body={}),
            ValueError("unexpected answer"),
        ]
        for failure in failures:
            with self.subTest(failure=type(failure).__name__):
                with mock.patch.object(elasticsearch.Elasticsearch, "search", side_effect=failure) as search:
                    response = self.client.get(search_url(q="santé"))
                self.assertEqual(search.call_count, 1)
                self.assertContains(response, "La recherche n'est pas disponible", status_code=503)

    @override_settings(WAGTAILSEARCH_BACKENDS=STOCK_BACKEND)
    def test_wagtails_stock_backend_which_cannot_carry_the_rule_is_never_queried(self):
        with mock.patch.object(elasticsearch.Elasticsearch, "search") as search:
            self.client.force_login(self.world.member_a)
            response = self.client.get(search_url(q="santé"))
        search.assert_not_called()
        self.assertContains(response, "La recherche n'est pas disponible", status_code=503)
