"""Language names inside sentences follow each language's rule: « en français » (lower case)
in French, "in English" (capitalised) in English; dates in results read « 1er juin »."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from licensing.models import PartnerOrganisation
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from wiki.factories import UserFactory, build_site_tree


def search(client, language, query):
    with translation.override(language):
        url = reverse("search")
    return client.get(url, {"q": query}).content.decode()


class SearchWordingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.user = UserFactory()
        PartnerOrganisation.objects.create(
            name="Institut des pratiques exemplaires", acronym="IPE", mission="Pratiques", locale=cls.tree.fr
        )
        PartnerOrganisation.objects.create(
            name="Institute for Exemplary Practices", acronym="IEP", mission="Practices", locale=cls.tree.en
        )
        repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        DeliverablePageFactory(
            parent=repository,
            locale=cls.tree.fr,
            title="Guide des pratiques exemplaires",
            access_level="public",
            date_issued=datetime.date(2026, 6, 1),
        )

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_french_search_page_says_en_francais_in_lower_case(self):
        html = search(self.client, "fr", "pratiques")
        self.assertIn("en français seulement", html)
        self.assertNotIn("en Français", html)

    def test_the_english_search_page_says_in_english_capitalised(self):
        self.assertIn("in English only", search(self.client, "en", "practices"))

    def test_a_result_dated_the_first_of_the_month_reads_1er_in_french(self):
        html = search(self.client, "fr", "guide")
        self.assertIn("Guide des pratiques exemplaires", html)
        self.assertIn(">1er juin 2026</time>", html)
