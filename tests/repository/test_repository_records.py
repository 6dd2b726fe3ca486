"""Records: stable identifiers never reused, permanent links, versions kept and marked superseded,
fixity checks, text extraction, browsing filters and the statistics CSV."""

import csv
import io
import os

from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverableFile, DeliverableIdentifier, DeliverablePage, MonthlyStatistic
from repository.samples import make_pdf
from wiki.factories import SuperuserFactory, WorkspacePageFactory, build_site_tree, publish_translation


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class RecordsFixture:
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        cls.first = publish(
            DeliverablePageFactory(parent=cls.repository, locale=cls.tree.fr, title="Outil, première version")
        )
        cls.first_file = DeliverableFile.objects.create(
            page=cls.first,
            document=DocumentFactory(file=ContentFile(make_pdf("V1", ["Version initiale"]), name="v1.pdf")),
        )
        cls.second = publish(
            DeliverablePageFactory(
                parent=cls.repository,
                locale=cls.tree.fr,
                title="Outil, deuxième version",
                version="2",
                previous_version=cls.first,
            )
        )


class IdentifierAndVersionTests(RecordsFixture, TestCase):
    def test_identifier_is_given_at_first_publication_in_the_expected_form(self):
        self.assertRegex(self.first.identifier, r"^CDP-\d{4}-\d{4}$")
        self.assertNotEqual(self.first.identifier, self.second.identifier)

    def test_draft_deliverable_has_no_identifier_yet(self):
        draft = DeliverablePageFactory(
            parent=self.repository, locale=self.tree.fr, live=False, materialised=False
        )
        self.assertEqual(draft.identifier, "")

    def test_republishing_keeps_the_identifier(self):
        before = self.first.identifier
        publish(self.first)
        self.assertEqual(DeliverablePage.objects.get(pk=self.first.pk).identifier, before)

    def test_translation_shares_the_identifier(self):
        publish_translation(self.repository, self.tree.en)
        english = publish_translation(self.first, self.tree.en)
        self.assertEqual(DeliverablePage.objects.get(pk=english.pk).identifier, self.first.identifier)

    def test_identifier_of_a_deleted_deliverable_is_never_reused(self):
        doomed = publish(DeliverablePageFactory(parent=self.repository, locale=self.tree.fr))
        identifier = doomed.identifier
        doomed.delete()
        newcomer = publish(DeliverablePageFactory(parent=self.repository, locale=self.tree.fr))
        self.assertNotEqual(newcomer.identifier, identifier)
        self.assertTrue(DeliverableIdentifier.objects.filter(identifier=identifier).exists())

    def test_permanent_link_of_a_deleted_deliverable_says_it_was_withdrawn(self):
        doomed = publish(DeliverablePageFactory(parent=self.repository, locale=self.tree.fr))
        url = reverse("deliverable_permalink", args=[doomed.identifier])
        doomed.delete()
        self.assertContains(self.client.get(url), "retiré", status_code=410)

    def test_permanent_link_follows_the_page_when_its_address_changes(self):
        url = reverse("deliverable_permalink", args=[self.first.identifier])
        self.first.slug = "outil-renomme"
        publish(self.first)
        self.assertRedirects(self.client.get(url), self.first.url, fetch_redirect_response=False)

    def test_permanent_link_points_to_the_french_page_under_fr(self):
        self.assertEqual(
            reverse("deliverable_permalink", args=[self.first.identifier]),
            f"/fr/depot/id/{self.first.identifier}/",
        )

    def test_version_links_lead_to_each_version(self):
        for number, page in ((1, self.first), (2, self.second)):
            url = reverse("deliverable_version_permalink", args=[self.first.identifier, number])
            self.assertRedirects(self.client.get(url), page.url, fetch_redirect_response=False)

    def test_unknown_version_number_is_not_found(self):
        url = reverse("deliverable_version_permalink", args=[self.first.identifier, 3])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_earlier_version_stays_readable_and_is_marked_superseded_with_a_link(self):
        response = self.client.get(self.first.url)
        self.assertContains(response, "Remplacé par une version plus récente")
        self.assertContains(response, f'href="{self.second.url}"')

    def test_files_of_the_earlier_version_stay_downloadable(self):
        response = self.client.get(reverse("deliverable_file", args=[self.first_file.pk]))
        self.assertEqual(response.status_code, 200)

    def test_latest_version_is_not_marked_superseded(self):
        self.assertNotContains(self.client.get(self.second.url), "Remplacé par une version plus récente")

    def test_english_page_says_superseded_in_english(self):
        publish_translation(self.repository, self.tree.en)
        english = publish_translation(self.first, self.tree.en)
        with translation.override("en"):
            response = self.client.get(DeliverablePage.objects.get(pk=english.pk).url)
        self.assertContains(response, "Superseded by a newer version")


class FixityAndExtractionTests(RecordsFixture, TestCase):
    def setUp(self):
        # Files live on disk, outside the test transaction: put the original back after each test.
        path = self.first_file.document.file.path
        with open(path, "rb") as handle:
            original = handle.read()

        def restore():
            with open(path, "wb") as handle:
                handle.write(original)

        self.addCleanup(restore)

    def test_fixity_check_passes_when_nothing_changed(self):
        out = io.StringIO()
        call_command("check_fixity", stdout=out)
        self.assertIn("0 problem(s)", out.getvalue())

    def test_fixity_check_reports_a_file_altered_on_disk(self):
        path = self.first_file.document.file.path
        with open(path, "r+b") as handle:
            handle.seek(20)
            handle.write(b"X")
        out = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("check_fixity", stdout=out)
        self.assertIn("MISMATCH", out.getvalue())
        self.assertIn("v1", out.getvalue())

    def test_fixity_check_reports_a_missing_file(self):
        os.remove(self.first_file.document.file.path)
        out = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("check_fixity", stdout=out)
        self.assertIn("MISSING", out.getvalue())

    def test_extract_text_command_fills_the_search_text(self):
        DeliverableFile.objects.filter(pk=self.first_file.pk).update(text="", text_extracted_at=None)
        call_command("extract_text", stdout=io.StringIO())
        self.first.refresh_from_db()
        self.assertIn("Version initiale", self.first.files_text)

    def test_extraction_of_a_damaged_file_yields_no_text_and_no_crash(self):
        from repository.files import extract_text

        path = self.first_file.document.file.path
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4\n\x00\x01 trailer << /Root 99 0 R >>")
        self.assertEqual(extract_text(path, "application/pdf"), ("", "damaged"))


class BrowseTests(RecordsFixture, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.workspace = WorkspacePageFactory(
            parent=cls.tree.workspaces_fr, locale=cls.tree.fr, title="CdP Santé"
        )
        cls.minutes = publish(
            DeliverablePageFactory(
                parent=cls.repository,
                locale=cls.tree.fr,
                title="Compte rendu annuel",
                deliverable_type=DeliverablePage.Type.MINUTES,
                date_issued="2015-03-01",
                languages="en",
                workspace_key=cls.workspace.translation_key,
            )
        )
        cls.minutes.tags.add("gouvernance")
        publish(cls.minutes)

    def listing(self, **params):
        return self.client.get(self.repository.url, params).content.decode()

    def test_filter_by_type(self):
        content = self.listing(type="minutes")
        self.assertIn("Compte rendu annuel", content)
        self.assertNotIn("Outil, première version", content)

    def test_filter_by_year(self):
        content = self.listing(year="2015")
        self.assertIn("Compte rendu annuel", content)
        self.assertNotIn("Outil, deuxième version", content)

    def test_filter_by_workspace(self):
        content = self.listing(workspace=str(self.workspace.translation_key))
        self.assertIn("Compte rendu annuel", content)
        self.assertNotIn("Outil, première version", content)

    def test_filter_by_subject(self):
        content = self.listing(subject="gouvernance")
        self.assertIn("Compte rendu annuel", content)
        self.assertNotIn("Outil, première version", content)

    def test_filter_by_language(self):
        content = self.listing(language="en")
        self.assertIn("Compte rendu annuel", content)
        self.assertNotIn("Outil, première version", content)

    def test_filter_by_licence(self):
        from licensing.factories import LicenceFactory

        licence = LicenceFactory(title="Licence ouverte zinnia")
        self.minutes.licence = licence
        publish(self.minutes)
        content = self.listing(licence=str(licence.pk))
        self.assertIn("Compte rendu annuel", content)
        self.assertNotIn("Outil, première version", content)
        self.assertIn("Licence ouverte zinnia", self.listing())

    def test_nonsense_filters_are_ignored_rather_than_failing(self):
        response = self.client.get(
            self.repository.url, {"year": "deux mille", "type": "<script>", "page": "x"}
        )
        self.assertContains(response, "Outil, première version")

    def test_statistics_link_is_offered_to_editors_but_not_to_visitors(self):
        url = reverse("repository_statistics")
        self.assertNotContains(self.client.get(self.repository.url), url)
        self.client.force_login(SuperuserFactory())
        self.assertContains(self.client.get(self.repository.url), url)

    def test_atom_feed_is_valid_atom_with_the_public_deliverables(self):
        from defusedxml import ElementTree

        response = self.client.get(reverse("repository_feed"))
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))
        feed = ElementTree.fromstring(response.content)
        titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
        self.assertIn("Compte rendu annuel", titles)


class StatisticsCsvTests(RecordsFixture, TestCase):
    def test_csv_export_neutralises_formulas_in_titles(self):
        hostile = publish(
            DeliverablePageFactory(
                parent=self.repository, locale=self.tree.fr, title='=HYPERLINK("http://evil.example","clic")'
            )
        )
        MonthlyStatistic.objects.create(
            translation_key=hostile.translation_key, month=MonthlyStatistic.this_month(), downloads=2
        )
        self.client.force_login(SuperuserFactory())
        response = self.client.get(reverse("repository_statistics_csv"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        titles = [row[1] for row in rows[1:]]
        self.assertIn('\'=HYPERLINK("http://evil.example","clic")', titles)
        self.assertFalse(any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row))
        hostile_row = next(row for row in rows if row[1].startswith("'="))
        self.assertEqual(hostile_row[4], "2")
