"""The repository has a translation status view too: deliverables with no English version
and English versions older than a change to their French source."""

from django.test import TestCase
from django.urls import reverse

from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from translations.status import CURRENT, MISSING, OUTDATED, page_rows
from wiki.factories import build_access_matrix, publish_translation


def state(rows, source):
    return next(r.state for r in rows if r.source.pk == source.pk and r.locale.language_code == "en")


class RepositoryStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.admin = cls.world.users["admin"]
        tree = cls.world.tree
        cls.repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.repository.save_revision().publish()
        publish_translation(cls.repository, tree.en)
        cls.translated = DeliverablePageFactory(
            parent=cls.repository, locale=tree.fr, title="Guide de pratique"
        )
        cls.translated.save_revision().publish()
        publish_translation(cls.translated, tree.en)
        cls.untranslated = DeliverablePageFactory(
            parent=cls.repository, locale=tree.fr, title="Rapport annuel"
        )
        cls.untranslated.save_revision().publish()

    def rows(self):
        return page_rows(self.admin, self.repository)

    def test_a_translated_deliverable_is_up_to_date(self):
        self.assertEqual(state(self.rows(), self.translated), CURRENT)

    def test_a_deliverable_with_no_english_version_is_listed_as_not_translated(self):
        self.assertEqual(state(self.rows(), self.untranslated), MISSING)

    def test_changing_the_french_abstract_flags_the_english_deliverable(self):
        page = self.translated.specific
        page.refresh_from_db()
        page.abstract = "Un résumé entièrement réécrit."
        page.save_revision().publish()
        rows = self.rows()
        self.assertEqual(state(rows, self.translated), OUTDATED)
        row = next(r for r in rows if r.source.pk == self.translated.pk)
        self.assertIn("réécrit.", row.changes[0]["added"])

    def test_the_status_index_links_the_repository_status_view(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("translations_admin:index"))
        self.assertContains(response, reverse("translations_admin:page_status", args=[self.repository.pk]))

    def test_the_repository_status_view_lists_the_untranslated_deliverable_with_a_translate_button(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("translations_admin:page_status", args=[self.repository.pk]))
        self.assertContains(
            response, f'data-source-id="{self.untranslated.pk}" data-locale="en" data-state="missing"'
        )
        self.assertContains(
            response, reverse("wagtail_localize:submit_page_translation", args=[self.untranslated.pk])
        )

    def test_a_member_who_may_edit_no_deliverable_sees_no_row(self):
        self.assertEqual(page_rows(self.world.users["member-b"], self.repository), [])
