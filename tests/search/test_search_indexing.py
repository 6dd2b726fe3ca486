"""The index follows publish, unpublish, move, delete and file changes; update_index rebuilds."""

import io

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import TestCase
from search_helpers import (
    MARKER_A,
    MARKER_B,
    attach_file,
    build_world,
    results_html,
    search_url,
    suggest_url,
)

from repository.factories import DeliverableFileFactory, DocumentFactory
from repository.models import DeliverableFile, DeliverablePage
from search.models import SearchEntry
from wiki.factories import WikiPageFactory
from wiki.models import WikiPage


class IndexMaintenanceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def setUp(self):
        self.client.force_login(self.world.admin)

    def found(self, query, **params):
        return results_html(self.client.get(search_url(q=query, both="1", **params)))

    def test_a_published_revision_is_searchable_at_once(self):
        page = self.world.page_a
        page.title = "Pratiques de dépistage renouvelées"
        page.save_revision().publish()
        self.assertIn("Pratiques de dépistage renouvelées", self.found("dépistage"))

    def test_a_draft_revision_is_not_searchable_until_published(self):
        page = WikiPage.objects.get(pk=self.world.page_a.pk)
        page.title = "Brouillon anticonstitutionnel"
        page.save_revision()
        self.assertNotIn("anticonstitutionnel", self.found("anticonstitutionnel"))
        self.assertIn("Pratiques de repérage", self.found("repérage"))

    def test_tags_are_searchable_and_offered_as_a_filter_after_publishing(self):
        page = WikiPage.objects.get(pk=self.world.page_a.pk)
        page.tags.add("périnatalité")
        page.save_revision().publish()
        html = self.found("périnatalité")
        self.assertIn("Pratiques de repérage", html)
        self.assertIn("périnatalité", html.split("search-facets")[1])

    def test_an_unpublished_page_leaves_the_index(self):
        self.world.page_a.unpublish()
        self.assertFalse(SearchEntry.objects.filter(page_id=self.world.page_a.pk).exists())

    def test_a_deleted_page_leaves_the_index(self):
        page_id = self.world.page_b.pk
        self.world.page_b.delete()
        self.assertFalse(SearchEntry.objects.filter(page_id=page_id).exists())

    def test_a_moved_page_belongs_to_its_new_workspace(self):
        page = WikiPageFactory(
            parent=self.world.page_a, title="Sous-page déplacée", locale=self.world.tree.fr
        )
        self.world.page_a.move(self.world.workspace_b, pos="last-child")
        for entry in SearchEntry.objects.filter(page_id__in=[self.world.page_a.pk, page.pk]):
            self.assertEqual(entry.workspace_key, self.world.workspace_b.translation_key)

    def test_a_page_moved_into_a_private_workspace_stops_appearing_at_once_for_outsiders(self):
        self.client.force_login(self.world.member_a)
        self.assertIn(f"<mark>{MARKER_A}</mark>", self.found(MARKER_A))
        self.world.page_a.move(self.world.workspace_b, pos="last-child")
        # member_a belongs to workspace A only: the page, its snippet and its counts are gone.
        html = self.found(MARKER_A)
        self.assertNotIn(MARKER_A, html)
        self.assertNotIn("search-hit", html)
        suggestions = self.client.get(suggest_url(q="Pratiques de rep")).content.decode()
        self.assertNotIn("Pratiques de repérage", suggestions)
        # Members of the workspace it moved into find it there.
        self.client.force_login(self.world.member_b)
        self.assertIn(f"<mark>{MARKER_A}</mark>", self.found(MARKER_A))

    def test_a_page_moved_out_of_a_private_workspace_appears_to_readers_of_its_new_place(self):
        self.client.force_login(self.world.member_a)
        self.assertNotIn(MARKER_B, self.found(MARKER_B))
        self.world.page_b.move(self.world.workspace_a, pos="last-child")
        self.assertIn(f"<mark>{MARKER_B}</mark>", self.found(MARKER_B))

    def test_a_new_file_makes_its_text_searchable(self):
        attach_file(self.world.partners_deliverable, "Tableau des indicateurs mirobolants.")
        self.assertIn("Rapport aux partenaires", self.found("mirobolants"))

    def test_a_file_uploaded_to_a_deliverable_is_found_by_its_words_once_published(self):
        document = DocumentFactory(
            file=ContentFile("Tableau des indicateurs farfelus du réseau.".encode(), name="tableau.txt")
        )
        DeliverableFileFactory(page=self.world.partners_deliverable, document=document)
        self.assertNotIn("Rapport aux partenaires", self.found("farfelus"))
        page = DeliverablePage.objects.get(pk=self.world.partners_deliverable.pk)
        page.save_revision().publish()
        self.assertIn("Rapport aux partenaires", self.found("farfelus"))

    def test_text_extracted_again_by_the_extract_text_command_is_searchable(self):
        deliverable_file = DeliverableFile.objects.filter(page=self.world.public_deliverable).first()
        deliverable_file.document.file.save("guide.txt", ContentFile("Version révisée : saugrenu.".encode()))
        call_command("extract_text", "--all", stdout=io.StringIO())
        self.assertIn("Guide de la santé des aînés", self.found("saugrenu"))

    def test_update_index_rebuilds_the_same_entries(self):
        before = sorted(SearchEntry.objects.values_list("title", "title_terms", "terms"))
        SearchEntry.objects.all().delete()
        self.assertNotIn("search-hit", self.found("santé"))
        call_command("rebuild_search_index", stdout=io.StringIO())
        after = sorted(SearchEntry.objects.values_list("title", "title_terms", "terms"))
        self.assertEqual(before, after)
        self.assertIn("search-hit", self.found("santé"))

    def test_partner_organisations_follow_their_edits(self):
        self.world.partner.mission = "Diffuser les connaissances en gérontologie."
        self.world.partner.save()
        self.assertIn("Centre universitaire de recherche en santé", self.found("gérontologie"))
        self.world.partner.delete()
        self.assertNotIn("Centre universitaire", self.found("gérontologie"))
