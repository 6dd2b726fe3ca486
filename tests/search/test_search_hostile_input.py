"""Whatever is typed or put in the address, the search page and suggestions answer with
results or a clear message, never an error page, and echo nothing unescaped."""

from django.test import TestCase
from search_helpers import build_world, search_url, suggest_url

HOSTILE_QUERIES = [
    '"',
    '""',
    '"santé',
    "santé\"'",
    "AND",
    "OR NOT",
    "santé AND OR NOT",
    "NEAR(santé mentale, 2)",
    "santé*",
    "*",
    "^santé",
    "title:santé",
    "{title_terms}: santé",
    "santé~2",
    "+santé -mentale",
    "[a TO z]",
    "/.*/",
    "(((",
    ")",
    "\\",
    "%",
    "_",
    "'; DROP TABLE cop_search_searchentry; --",
    "1' OR '1'='1",
    "santé & | ! <-> :*",
    "<script>alert('x')</script>",
    "😀🔥 santé 🏥",
    "\u200b\u200d\ufeff",
    "\x00santé",
    "NULL",
    "   ",
    "santé " * 1700,
    "x" * 10_000,
    "é" * 10_000,
    "a" * 41,
]


class HostileQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_hostile_queries_never_cause_an_error_page(self):
        for user in (None, self.world.member_a):
            self.client.logout()
            if user:
                self.client.force_login(user)
            for query in HOSTILE_QUERIES:
                for language in ("fr", "en"):
                    with self.subTest(query=query[:40], language=language, user=str(user)):
                        response = self.client.get(search_url(language, q=query, both="1"))
                        self.assertEqual(response.status_code, 200)

    def test_hostile_queries_never_break_suggestions(self):
        for query in HOSTILE_QUERIES:
            with self.subTest(query=query[:40]):
                response = self.client.get(suggest_url(q=query))
                self.assertEqual(response.status_code, 200)
                self.assertIn("suggestions", response.json())

    def test_typed_markup_is_escaped(self):
        response = self.client.get(search_url(q="<script>alert('x')</script>"))
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;")

    def test_a_very_long_query_is_shortened_with_a_message(self):
        response = self.client.get(search_url(q="santé " * 1700))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "500")

    def test_quotes_search_for_a_phrase(self):
        self.client.force_login(self.world.member_a)
        self.assertContains(
            self.client.get(search_url(q='"santé mentale"')), "Communauté de pratique en santé"
        )
        self.assertNotContains(self.client.get(search_url(q='"mentale santé"')), "search-hit")

    def test_operators_are_searched_as_words_not_obeyed(self):
        self.client.force_login(self.world.member_a)
        # "NOT" is a plain word here, so nothing is excluded: both words must appear.
        response = self.client.get(search_url(q="santé NOT mentale"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "search-hit")

    def test_bad_paging_sorting_and_filters_are_ignored_or_explained(self):
        params = [
            {"page": "-1"},
            {"page": "abc"},
            {"page": "99999"},
            {"page": str(10**30)},
            {"sort": "'; DROP"},
            {"workspace": "not-a-uuid"},
            {"licence": "{}"},
            {"year": "20x6"},
            {"year": "99999"},
            {"lang": "xx"},
            {"language": "xx"},
            {"kind": "admin"},
            {"deliverable_type": "<b>"},
            {"tag": "t" * 5000},
            {"both": "yes"},
        ]
        for extra in params:
            with self.subTest(**extra):
                response = self.client.get(search_url(q="santé", **extra))
                self.assertLess(response.status_code, 500)

    def test_a_page_beyond_the_last_shows_the_last_page_with_a_message(self):
        response = self.client.get(search_url(q="santé", page="50"))
        self.assertContains(response, "search-hit")
        self.assertContains(response, "50")

    def test_an_empty_query_shows_the_search_form_without_results(self):
        response = self.client.get(search_url(q=""))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "search-hit")
