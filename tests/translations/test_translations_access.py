"""A page translated through wagtail-localize's own machinery is exactly as private as its source."""

from django.test import TestCase
from wagtail_localize.models import Translation, TranslationSource

from wiki.factories import build_access_matrix


class LocalizeTranslationPrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()

    def setUp(self):
        source, _ = TranslationSource.get_or_create_from_instance(self.world.page_a)
        translation = Translation.objects.create(source=source, target_locale=self.world.tree.en)
        # wagtail-localize publishes the translation (and its copied parents) on commit.
        with self.captureOnCommitCallbacks(execute=True):
            translation.save_target(publish=True)
        self.page_en = self.world.page_a.get_translation(self.world.tree.en)
        self.url = self.page_en.url

    def test_the_translation_is_live_at_an_english_address(self):
        self.assertTrue(self.page_en.live)
        self.assertTrue(self.url.startswith("/en/"))

    def test_member_a_reads_the_translation(self):
        self.client.force_login(self.world.users["member-a"])
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_member_b_is_refused_the_translation(self):
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(self.url)
        self.assertIn(response.status_code, (403, 404))
        self.assertNotContains(response, self.page_en.title, status_code=response.status_code)

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"].replace("connexion", "login"))
