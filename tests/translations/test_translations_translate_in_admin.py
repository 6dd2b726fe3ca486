"""Translating a page through wagtail-localize's "Translate this page" in the admin.

The issue asks that a translation inherit the privacy and the permissions of its source at
once (not at the next sync), that the source's members may edit it right away, and that
translating a live page never publishes an untranslated copy.
"""

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page

from wiki.factories import build_access_matrix


class TranslateInAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.en = cls.world.tree.en

    def submit(self, username="coordinator-a", page=None, messages=None):
        page = page or self.world.page_a
        self.client.force_login(self.world.users[username])
        url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
        # The new page's rights and restrictions are materialised when the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"locales": [self.en.pk]})
        if messages is not None:
            messages.extend(str(message) for message in get_messages(response.wsgi_request))
        # Readers come afresh (no flash message of the submitter left in the cookies).
        self.client = self.client_class()
        return response

    def english_exists(self):
        return Page.objects.filter(translation_key=self.world.page_a.translation_key, locale=self.en).exists()

    def english_page(self):
        return Page.objects.get(translation_key=self.world.page_a.translation_key, locale=self.en).specific

    def english_workspace(self):
        return Page.objects.get(translation_key=self.world.workspace_a.translation_key, locale=self.en)

    def test_a_coordinator_may_open_translate_this_page(self):
        self.client.force_login(self.world.users["coordinator-a"])
        url = reverse("wagtail_localize:submit_page_translation", args=[self.world.page_a.pk])
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_participant_may_translate_a_page_of_their_workspace(self):
        response = self.submit("member-a")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.english_exists())

    def test_translating_a_live_page_creates_a_draft_not_a_live_untranslated_copy(self):
        self.submit()
        self.assertTrue(self.world.page_a.live)
        self.assertFalse(self.english_page().live)

    def test_nobody_reads_the_untranslated_draft_on_the_site(self):
        self.submit()
        self.client.force_login(self.world.users["member-a"])
        self.assertEqual(self.client.get(self.english_page().url).status_code, 404)

    def test_the_new_english_workspace_is_restricted_to_the_members_at_once(self):
        self.submit()
        restrictions = self.english_workspace().get_view_restrictions()
        self.assertTrue(restrictions.exists())
        groups = {group.name for restriction in restrictions for group in restriction.groups.all()}
        self.assertTrue(any("CdP A" in name for name in groups), groups)

    def test_the_participant_may_edit_the_translation_right_away(self):
        self.submit()
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.english_page().pk]))
        self.assertEqual(response.status_code, 200)

    def test_member_b_may_not_edit_the_translation(self):
        self.submit()
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.english_page().pk]))
        self.assertNotEqual(response.status_code, 200)

    def test_once_published_the_translation_is_refused_to_member_b_and_anonymous_visitors(self):
        self.submit()
        page_en = self.english_page()
        page_en.save_revision().publish()
        self.client.force_login(self.world.users["member-b"])
        refused = self.client.get(page_en.url)
        self.assertIn(refused.status_code, (403, 404))
        self.assertNotContains(refused, page_en.title, status_code=refused.status_code)
        self.client.logout()
        anonymous = self.client.get(page_en.url)
        self.assertEqual(anonymous.status_code, 302)
        self.assertNotContains(anonymous, page_en.title, status_code=302)

    def test_once_published_the_translation_is_read_by_member_a(self):
        self.submit()
        page_en = self.english_page()
        page_en.save_revision().publish()
        self.client.force_login(self.world.users["member-a"])
        self.assertEqual(self.client.get(page_en.url).status_code, 200)

    def test_member_b_may_not_translate_a_page_of_workspace_a(self):
        response = self.submit("member-b")
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(self.english_exists())

    def test_member_b_may_not_open_translate_this_page_for_a_page_of_workspace_a(self):
        self.client.force_login(self.world.users["member-b"])
        url = reverse("wagtail_localize:submit_page_translation", args=[self.world.page_a.pk])
        response = self.client.get(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, self.world.page_a.title, status_code=response.status_code)

    def test_member_b_may_not_sync_the_translations_of_a_page_of_workspace_a(self):
        from wagtail_localize.models import TranslationSource

        self.submit()
        source = TranslationSource.objects.get_for_instance(self.world.page_a)
        self.client.force_login(self.world.users["member-b"])
        url = reverse("wagtail_localize:update_translations", args=[source.pk])
        response = self.client.get(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, self.world.page_a.title, status_code=response.status_code)

    def test_the_coordinator_may_sync_the_translations_of_their_page(self):
        from wagtail_localize.models import TranslationSource

        self.submit()
        source = TranslationSource.objects.get_for_instance(self.world.page_a)
        self.client.force_login(self.world.users["coordinator-a"])
        url = reverse("wagtail_localize:update_translations", args=[source.pk])
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_confirmation_writes_the_language_in_lower_case_inside_the_french_sentence(self):
        messages = []
        self.submit(messages=messages)
        self.assertTrue(any("en anglais" in message for message in messages), messages)
