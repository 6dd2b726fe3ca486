"""Every page carries a labelled search box that submits to the search page of its language."""

from django.test import TestCase
from search_helpers import build_world


class HeaderSearchBoxTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def test_the_home_page_has_a_labelled_search_box_for_its_language(self):
        for path, action, label in (
            ("/fr/", "/fr/recherche/", "Rechercher dans la plateforme"),
            ("/en/", "/en/search/", "Search the platform"),
        ):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertContains(response, f'action="{action}"')
                label_html = f'<label for="header-search-q" class="visually-hidden">{label}</label>'
                self.assertContains(response, label_html)
                self.assertContains(response, 'id="header-search-q" type="search" name="q"')

    def test_the_suggestion_script_is_loaded_from_a_file_not_inline(self):
        response = self.client.get("/fr/")
        self.assertContains(response, '<script src="/static/search/suggest.js" defer></script>')
        self.assertContains(response, 'data-suggest-url="/fr/recherche/suggestions/"')

    def test_a_member_sees_the_search_box_on_a_workspace_page(self):
        self.client.force_login(self.world.member_a)
        response = self.client.get(self.world.workspace_a.url)
        self.assertContains(response, 'id="header-search-q"')
