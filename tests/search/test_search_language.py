"""French and English analysis: accents folded, inflections matched, stop words ignored, and
the reader's language searched by default with both languages on request."""

from django.test import TestCase
from search_helpers import build_world, results_html, search_url

from licensing.models import PartnerOrganisation
from search import analysis


class AnalysisTests(TestCase):
    def test_accented_and_plain_spellings_share_one_index_form(self):
        self.assertEqual(analysis.analyse("santé", "fr"), analysis.analyse("sante", "fr"))

    def test_french_plural_and_singular_share_one_index_form(self):
        self.assertEqual(analysis.analyse("pratiques", "fr"), analysis.analyse("pratique", "fr"))

    def test_english_inflections_share_one_index_form(self):
        self.assertEqual(analysis.analyse("practices", "en"), analysis.analyse("practice", "en"))
        self.assertEqual(analysis.analyse("caring", "en"), analysis.analyse("care", "en"))

    def test_stop_words_are_left_out_of_the_index(self):
        self.assertEqual(analysis.analyse("la santé des aînés", "fr"), analysis.analyse("santé aînés", "fr"))
        self.assertEqual(
            analysis.analyse("the care of the elderly", "en"), analysis.analyse("care elderly", "en")
        )


class LanguageSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.english_partner = PartnerOrganisation.objects.create(
            name="Institute for Caring Practices",
            acronym="ICP",
            mission="Improving nursing practices in long-term care.",
            locale=cls.world.tree.en,
        )

    def setUp(self):
        self.client.force_login(self.world.outsider)

    def titles(self, language="fr", **params):
        return results_html(self.client.get(search_url(language, **params)))

    def test_sante_sante_pratique_pratiques_find_the_same_french_page(self):
        self.client.force_login(self.world.member_a)
        for query in ("sante", "santé", "pratique", "pratiques", "SANTÉ", "Pratiques"):
            with self.subTest(query=query):
                self.assertIn("Communauté de pratique en santé mentale", self.titles(q=query))

    def test_matched_words_are_highlighted_in_their_written_form(self):
        self.client.force_login(self.world.member_a)
        html = self.titles(q="sante")
        self.assertIn("<mark>santé</mark>", html)

    def test_french_readers_search_french_content_by_default(self):
        self.assertNotIn("Institute for Caring Practices", self.titles("fr", q="practices"))

    def test_search_both_languages_reaches_english_content(self):
        self.assertIn("Institute for Caring Practices", self.titles("fr", q="practices", both="1"))

    def test_english_readers_search_english_content_with_stemming(self):
        html = self.titles("en", q="practice")
        self.assertIn("Institute for Caring Practices", html)
        self.assertNotIn("Centre universitaire de recherche en santé", html)

    def test_no_result_in_the_readers_language_offers_both_languages(self):
        response = self.client.get(search_url("fr", q="nursing"))
        self.assertContains(response, "Chercher dans les deux langues")
        self.assertContains(response, "both=1")

    def test_the_language_facet_counts_each_language_when_searching_both(self):
        html = self.titles("fr", q="practices", both="1")
        facets = html.split("search-facets")[1]
        self.assertIn("Anglais", facets)
        self.assertNotIn("Français", facets)

    def test_a_query_of_stop_words_only_asks_for_a_word(self):
        response = self.client.get(search_url("fr", q="la le les"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tapez au moins un mot")


class PostgresConfigurationTests(TestCase):
    """On PostgreSQL the index is built and queried with `cop_french` and `cop_english`
    (unaccent, then the language's stemmer and stop words)."""

    def setUp(self):
        from django.db import connection

        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL text search configurations")

    def vector(self, config, text):
        from django.db import connection

        with connection.cursor() as cursor:
            # strip(): the lexemes without their positions.
            cursor.execute("SELECT strip(to_tsvector(%s::regconfig, %s))::text", [config, text])
            return cursor.fetchone()[0]

    def test_cop_french_folds_accents_stems_and_drops_stop_words(self):
        self.assertEqual(self.vector("cop_french", "Santé des pratiques"), "'pratiqu' 'sant'")
        self.assertEqual(self.vector("cop_french", "sante pratique"), "'pratiqu' 'sant'")

    def test_cop_english_folds_accents_and_stems_english(self):
        vector = self.vector("cop_english", "Caring for the café's practices")
        self.assertEqual(vector, "'cafe' 'care' 'practic'")

    def test_each_entry_is_indexed_with_the_configuration_of_its_language(self):
        from django.db import connection

        from search.models import SearchEntry

        french = SearchEntry.objects.create(kind="partner", language="fr", title="Pratiques", text="Santé")
        english = SearchEntry.objects.create(kind="partner", language="en", title="Practices", text="Caring")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, search_vector::text FROM cop_search_searchentry WHERE id IN (%s, %s)",
                [french.pk, english.pk],
            )
            vectors = dict(cursor.fetchall())
        self.assertEqual(vectors[french.pk], "'pratiqu':1A 'sant':2B")
        self.assertEqual(vectors[english.pk], "'care':2B 'practic':1A")
