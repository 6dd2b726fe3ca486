"""The language switcher lands on the translated page, or on a notice that none exists yet."""

import re

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from wiki.factories import (
    MembershipFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
    publish_translation,
)

SWITCHER = re.compile(r'<nav class="language-switcher".*?</nav>', re.S)


def switcher_links(response):
    """hreflang -> href of the links in the rendered language switcher."""
    nav = SWITCHER.search(response.content.decode())
    assert nav is not None, "no language switcher on the page"
    return {lang: href for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]*)"', nav.group(0))}


def translation_missing_url(page, language="en"):
    with translation.override(language):
        return reverse("translation_missing", args=[page.pk])


class LanguageSwitcherTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(
            parent=cls.tree.workspaces_fr, locale=cls.tree.fr, title="Parentalité et dépendance"
        )
        cls.workspace_en = publish_translation(cls.workspace, cls.tree.en)
        cls.workspace_en.title = "Parenthood and addiction"
        cls.workspace_en.save_revision().publish()
        cls.untranslated = WikiPageFactory(
            parent=cls.workspace, locale=cls.tree.fr, title="Compte rendu confidentiel"
        )
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)
        cls.outsider = UserFactory()

    def test_switcher_on_a_french_page_links_to_its_english_translation(self):
        self.client.force_login(self.member)
        response = self.client.get(self.workspace.url)
        self.assertEqual(switcher_links(response), {"en": self.workspace_en.url})
        self.assertTrue(self.workspace_en.url.startswith("/en/"))

    def test_switcher_on_the_english_translation_links_back_to_the_french_page(self):
        self.client.force_login(self.member)
        response = self.client.get(self.workspace_en.url)
        self.assertEqual(switcher_links(response), {"fr": self.workspace.url})

    def test_switcher_on_the_french_home_links_to_the_english_home(self):
        response = self.client.get("/fr/")
        self.assertEqual(switcher_links(response), {"en": "/en/"})

    def test_switcher_on_an_untranslated_page_links_to_the_translation_missing_notice(self):
        self.client.force_login(self.member)
        response = self.client.get(self.untranslated.url)
        self.assertEqual(switcher_links(response), {"en": translation_missing_url(self.untranslated)})

    def test_switcher_on_the_login_page_links_to_the_english_login_page(self):
        with translation.override("fr"):
            french = reverse("login")
        with translation.override("en"):
            english = reverse("login")
        response = self.client.get(french)
        self.assertEqual(switcher_links(response), {"en": english})

    def test_translation_missing_notice_answers_404_with_a_link_to_the_original(self):
        self.client.force_login(self.member)
        response = self.client.get(translation_missing_url(self.untranslated))
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "This page has no translation in this language yet.", status_code=404)
        self.assertContains(response, f'href="{self.untranslated.url}"', status_code=404)
        self.assertContains(response, self.untranslated.title, status_code=404)

    def test_translation_missing_notice_sends_to_the_translation_when_one_exists(self):
        self.client.force_login(self.member)
        response = self.client.get(translation_missing_url(self.workspace))
        self.assertRedirects(response, self.workspace_en.url)

    def test_translation_missing_notice_does_not_reveal_a_page_to_a_non_member(self):
        self.client.force_login(self.outsider)
        response = self.client.get(translation_missing_url(self.untranslated))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, self.untranslated.title, status_code=404)
        self.assertNotContains(response, self.untranslated.url, status_code=404)

    def test_translation_missing_notice_does_not_reveal_a_page_to_an_anonymous_visitor(self):
        response = self.client.get(translation_missing_url(self.untranslated))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, self.untranslated.title, status_code=404)

    def test_translation_missing_notice_does_not_reveal_the_translation_of_a_private_page(self):
        self.client.force_login(self.outsider)
        response = self.client.get(translation_missing_url(self.workspace))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, self.workspace_en.url, status_code=404)
        self.assertNotContains(response, self.workspace.title, status_code=404)
