"""The translation status view: missing, out-of-date and up-to-date translations, and the flag."""

from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail_localize.models import Translation, TranslationSource

from licensing.factories import PartnerOrganisationFactory
from translations.models import TranslationRequest
from translations.status import CURRENT, MISSING, OUTDATED, page_rows, snippet_rows
from wiki.factories import build_access_matrix, publish_translation


def row_for(rows, source):
    return next(row for row in rows if row.source.pk == source.pk and row.locale.language_code == "en")


class PageStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.admin = cls.world.users["admin"]
        cls.workspace_a_en = publish_translation(cls.world.workspace_a, cls.world.tree.en)
        cls.page_en = publish_translation(cls.world.page_a, cls.world.tree.en)

    def status(self, user=None):
        return page_rows(user or self.admin, self.world.workspace_a)

    def change_source(self, title="Plan confidentiel révisé de la CdP A"):
        page = self.world.page_a.specific
        page.refresh_from_db()
        page.title = title
        page.save_revision().publish()

    def test_a_fresh_translation_is_up_to_date(self):
        self.assertEqual(row_for(self.status(), self.world.page_a).state, CURRENT)

    def test_a_page_with_no_english_version_is_listed_as_not_translated(self):
        self.assertEqual(row_for(self.status(), self.world.meeting_a).state, MISSING)

    def test_changing_the_french_source_flags_the_english_version_as_out_of_date(self):
        self.change_source()
        self.assertEqual(row_for(self.status(), self.world.page_a).state, OUTDATED)

    def test_the_out_of_date_row_says_which_field_changed_and_the_new_words(self):
        self.change_source()
        with translation.override("en"):
            changes = row_for(self.status(), self.world.page_a).changes
        self.assertEqual([c["field"] for c in changes], ["Title"])
        self.assertIn("révisé", changes[0]["added"])

    def test_updating_the_translation_clears_the_flag(self):
        self.change_source()
        self.page_en.refresh_from_db()
        self.page_en.title = "Revised confidential plan"
        self.page_en.save_revision().publish()
        self.assertEqual(row_for(self.status(), self.world.page_a).state, CURRENT)

    def test_republishing_the_source_without_a_change_flags_nothing(self):
        self.change_source(title=self.world.page_a.title)
        self.assertEqual(row_for(self.status(), self.world.page_a).state, CURRENT)

    def test_the_admin_status_view_shows_the_out_of_date_translation_with_an_update_link(self):
        self.change_source()
        self.client.force_login(self.admin)
        response = self.client.get(
            reverse("translations_admin:page_status", args=[self.world.workspace_a.pk])
        )
        self.assertContains(
            response, f'data-source-id="{self.world.page_a.pk}" data-locale="en" data-state="outdated"'
        )
        self.assertContains(response, reverse("wagtailadmin_pages:edit", args=[self.page_en.pk]))

    def test_the_status_view_offers_to_translate_a_missing_page(self):
        self.client.force_login(self.admin)
        response = self.client.get(
            reverse("translations_admin:page_status", args=[self.world.workspace_a.pk])
        )
        self.assertContains(
            response, reverse("wagtail_localize:submit_page_translation", args=[self.world.meeting_a.pk])
        )

    def test_a_member_of_workspace_b_sees_no_page_of_workspace_a_in_the_status(self):
        self.assertEqual(self.status(self.world.users["member-b"]), [])

    def test_the_status_view_of_workspace_a_shows_member_b_no_title_of_a(self):
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(
            reverse("translations_admin:page_status", args=[self.world.workspace_a.pk])
        )
        self.assertNotContains(response, self.world.page_a.title, status_code=response.status_code)
        self.assertNotContains(response, self.world.meeting_a.title, status_code=response.status_code)

    def test_anonymous_visitors_cannot_open_the_status_view(self):
        response = self.client.get(
            reverse("translations_admin:page_status", args=[self.world.workspace_a.pk])
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])


class LocalizeMachineryStatusTests(TestCase):
    """Translations made through wagtail-localize's own models are tracked the same way."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.admin = cls.world.users["admin"]

    def setUp(self):
        self.source, _ = TranslationSource.get_or_create_from_instance(self.world.page_a)
        self.localize_translation = Translation.objects.create(
            source=self.source, target_locale=self.world.tree.en
        )
        # wagtail-localize publishes the translation once the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            self.localize_translation.save_target(publish=True)

    def state(self):
        return row_for(page_rows(self.admin, self.world.workspace_a), self.world.page_a)

    def change_source(self):
        page = self.world.page_a.specific
        page.refresh_from_db()
        page.title = "Plan confidentiel révisé"
        page.save_revision().publish()

    def test_a_localize_translation_is_up_to_date_once_saved(self):
        self.assertEqual(self.state().state, CURRENT)

    def test_a_source_change_flags_it_and_links_to_localize_update_view(self):
        self.change_source()
        row = self.state()
        self.assertEqual(row.state, OUTDATED)
        self.assertEqual(
            row.action_url, reverse("wagtail_localize:update_translations", args=[self.source.pk])
        )

    def test_syncing_through_localize_clears_the_flag(self):
        self.change_source()
        self.source.update_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            self.localize_translation.save_target(publish=True)
        self.assertEqual(self.state().state, CURRENT)


class RequestTranslationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.coordinator = cls.world.users["coordinator-a"]
        cls.url = reverse("translations_admin:request_page", args=[cls.world.meeting_a.pk])

    def test_a_coordinator_marks_a_page_as_needing_translation(self):
        self.client.force_login(self.coordinator)
        self.client.post(self.url, {"locale": self.world.tree.en.pk, "note": "Avant décembre"})
        self.assertTrue(
            TranslationRequest.objects.filter(
                translation_key=self.world.meeting_a.translation_key, resolved_at__isnull=True
            ).exists()
        )

    def test_the_flag_shows_in_the_status(self):
        self.client.force_login(self.coordinator)
        self.client.post(self.url, {"locale": self.world.tree.en.pk})
        rows = page_rows(self.world.users["admin"], self.world.workspace_a)
        self.assertTrue(row_for(rows, self.world.meeting_a).requested)

    def test_publishing_the_translation_resolves_the_flag(self):
        self.client.force_login(self.coordinator)
        self.client.post(self.url, {"locale": self.world.tree.en.pk})
        publish_translation(self.world.workspace_a, self.world.tree.en)
        publish_translation(self.world.meeting_a, self.world.tree.en)
        self.assertFalse(TranslationRequest.objects.filter(resolved_at__isnull=True).exists())

    def test_a_member_of_workspace_b_cannot_mark_a_page_of_workspace_a(self):
        self.client.force_login(self.world.users["member-b"])
        self.client.post(self.url, {"locale": self.world.tree.en.pk})
        self.assertFalse(TranslationRequest.objects.exists())


class SnippetStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.admin = cls.world.users["admin"]
        cls.partner = PartnerOrganisationFactory(locale=cls.world.tree.fr, name="CIUSSS du Centre-Sud")
        translation = cls.partner.copy_for_translation(cls.world.tree.en)
        translation.save()

    def test_a_partner_organisation_changed_after_its_translation_is_out_of_date(self):
        self.partner.name = "CIUSSS du Centre-Sud-de-l'Île-de-Montréal"
        self.partner.save()
        self.assertEqual(row_for(snippet_rows(self.admin), self.partner).state, OUTDATED)

    def test_a_licence_with_no_english_version_is_listed_as_not_translated(self):
        from licensing.factories import LicenceFactory

        licence = LicenceFactory(locale=self.world.tree.fr)
        self.assertEqual(row_for(snippet_rows(self.admin), licence).state, MISSING)

    def test_a_member_without_snippet_permissions_sees_no_record(self):
        self.assertEqual(snippet_rows(self.world.users["member-b"]), [])
