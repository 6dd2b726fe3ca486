"""Language names inside sentences follow each language's rule: « en français » (lower case)
in French, "in English" (capitalised) in English; dates in results read « 1er juin »."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from licensing.models import PartnerOrganisation
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from wiki.factories import UserFactory, build_site_tree, publish_translation


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


class StatisticsNumberTests(TestCase):
    """Counts over a thousand are grouped the way each language writes them."""

    @classmethod
    def setUpTestData(cls):
        from repository.models import MonthlyStatistic
        from wiki.factories import SuperuserFactory

        cls.tree = build_site_tree()
        cls.admin = SuperuserFactory()
        repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        page = DeliverablePageFactory(parent=repository, locale=cls.tree.fr, title="Guide très consulté")
        page.save_revision().publish()
        publish_translation(repository, cls.tree.en)
        publish_translation(page, cls.tree.en)
        MonthlyStatistic.objects.create(
            translation_key=page.translation_key, month=datetime.date(2026, 6, 1), views=12345, downloads=1234
        )

    def dashboard(self, language):
        self.client.force_login(self.admin)
        with translation.override(language):
            url = reverse("repository_statistics")
        return self.client.get(url).content.decode()

    def test_french_statistics_group_thousands_with_a_narrow_no_break_space(self):
        html = self.dashboard("fr")
        self.assertIn("<td>12\u202f345</td><td>1\u202f234</td>", html)

    def test_english_statistics_group_thousands_with_a_comma(self):
        self.assertIn("<td>12,345</td><td>1,234</td>", self.dashboard("en"))
