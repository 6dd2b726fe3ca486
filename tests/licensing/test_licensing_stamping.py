"""Downloaded files carry their licence: a PDF cover page, or a zip with the terms."""

import hashlib
import re
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from licensing import stamping
from licensing.factories import LicenceFactory, memorandum_licence
from wiki.factories import build_site_tree

IDENTIFIER = "CDP-2026-0007"
URL = "https://cdp.example.org/fr/id/CDP-2026-0007/"


def make_pdf(path, pages=2):
    pdf = canvas.Canvas(str(path))
    for number in range(pages):
        pdf.drawString(72, 720, f"Page originale {number + 1}")
        pdf.showPage()
    pdf.save()
    return path


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class StampedPdfTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.licence = memorandum_licence(parties=3)

    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.addCleanup(self.scratch.cleanup)
        override = override_settings(LICENSING_CACHE_DIR=Path(self.scratch.name) / "cache")
        override.enable()
        self.addCleanup(override.disable)
        self.original = make_pdf(Path(self.scratch.name) / "plan.pdf")

    def stamp(self, language="fr"):
        return stamping.stamped_pdf(
            self.original, self.licence, IDENTIFIER, URL, language, title="Plan de MC"
        )

    def cover_text(self, path):
        return PdfReader(path).pages[0].extract_text()

    def test_cover_page_comes_before_the_original_pages(self):
        reader = PdfReader(self.stamp())
        self.assertEqual(len(reader.pages), 3)
        self.assertIn("Page originale 1", reader.pages[1].extract_text())

    def test_cover_page_names_every_party(self):
        text = self.cover_text(self.stamp())
        for party in self.licence.agreement.parties():
            self.assertIn(party.name, text)

    def test_cover_page_shows_each_party_logo(self):
        cover = PdfReader(self.stamp()).pages[0]
        self.assertEqual(len(cover.images), len(self.licence.agreement.parties()))

    def test_cover_page_shows_the_identifier_licence_and_permanent_link(self):
        text = self.cover_text(self.stamp())
        self.assertIn(IDENTIFIER, text)
        self.assertIn(self.licence.spdx_id, text)
        self.assertIn(self.licence.title, text)
        self.assertIn(URL, text)

    def test_cover_page_is_in_the_readers_language(self):
        self.assertIn("Lien permanent", self.cover_text(self.stamp("fr")))
        self.assertIn("Permanent link", self.cover_text(self.stamp("en")))

    def test_document_metadata_carry_the_rights(self):
        reader = PdfReader(self.stamp())
        self.assertIn(self.licence.spdx_id, reader.metadata["/Rights"])
        self.assertIn(self.licence.spdx_id, "".join(reader.xmp_metadata.dc_rights.values()))

    def test_document_metadata_credit_every_party_with_the_title(self):
        reader = PdfReader(self.stamp())
        for party in self.licence.agreement.parties():
            self.assertIn(party.acronym, reader.metadata["/Rights"])
            self.assertIn(party.acronym, "".join(reader.xmp_metadata.dc_rights.values()))
        self.assertIn("Plan de MC", reader.metadata["/Copyright"])

    def test_document_metadata_give_the_identifier_and_the_address_of_the_licence_terms(self):
        reader = PdfReader(self.stamp())
        xmp = reader.xmp_metadata
        self.assertEqual(xmp.dc_identifier, IDENTIFIER)
        packet = reader.trailer["/Root"]["/Metadata"].get_data().decode()
        terms = settings.WAGTAILADMIN_BASE_URL + f"/fr/licences/{self.licence.spdx_id}/"
        self.assertRegex(packet, rf"WebStatement[^<]*(>|=\")(<[^>]+>)*{re.escape(terms)}")
        self.assertIn("UsageTerms", packet)

    def test_english_copy_carries_the_rights_in_english(self):
        reader = PdfReader(self.stamp("en"))
        self.assertIn("Licence: ", reader.metadata["/Rights"])

    def test_stored_original_is_unchanged(self):
        before = sha256(self.original)
        self.stamp()
        self.assertEqual(sha256(self.original), before)

    def test_second_download_reuses_the_cached_copy(self):
        first = self.stamp()
        modified = first.stat().st_mtime_ns
        self.assertEqual(self.stamp(), first)
        self.assertEqual(first.stat().st_mtime_ns, modified)

    def test_new_licence_version_makes_a_new_copy(self):
        first = self.stamp()
        self.licence.territory = "Québec"
        self.licence.save()
        self.assertNotEqual(self.stamp(), first)

    def test_changed_file_makes_a_new_copy(self):
        first = self.stamp()
        make_pdf(self.original, pages=3)
        self.assertNotEqual(self.stamp(), first)

    def test_each_language_has_its_own_copy(self):
        self.assertNotEqual(self.stamp("fr"), self.stamp("en"))


class TermsZipTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.licence = memorandum_licence(parties=2)

    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.addCleanup(self.scratch.cleanup)
        override = override_settings(LICENSING_CACHE_DIR=Path(self.scratch.name) / "cache")
        override.enable()
        self.addCleanup(override.disable)
        self.original = Path(self.scratch.name) / "outil.xlsx"
        self.original.write_bytes(b"PK fake spreadsheet")

    def test_other_formats_come_in_a_zip_with_a_bilingual_terms_file(self):
        path = stamping.terms_zip(self.original, "outil.xlsx", self.licence, IDENTIFIER, URL, title="Outil")
        with zipfile.ZipFile(path) as archive:
            self.assertEqual(sorted(archive.namelist()), ["LICENCE-CREDITS.txt", "outil.xlsx"])
            self.assertEqual(archive.read("outil.xlsx"), b"PK fake spreadsheet")
            terms = archive.read("LICENCE-CREDITS.txt").decode()
        self.assertIn("Lien permanent", terms)
        self.assertIn("Permanent link", terms)
        self.assertIn(IDENTIFIER, terms)
        for party in self.licence.agreement.parties():
            self.assertIn(party.acronym, terms)

    def test_deliver_picks_the_stamped_pdf_for_pdfs_and_a_zip_otherwise(self):
        class Document:
            def __init__(self, path, filename):
                self.filename = filename
                self.file = type("F", (), {"path": str(path)})()

        pdf = make_pdf(Path(self.scratch.name) / "rapport.pdf")
        delivered = stamping.deliver(Document(pdf, "rapport.pdf"), self.licence, IDENTIFIER, URL, "fr")
        self.assertEqual(delivered.content_type, "application/pdf")
        self.assertEqual(len(PdfReader(delivered.path).pages), 3)
        delivered = stamping.deliver(
            Document(self.original, "outil.xlsx"), self.licence, IDENTIFIER, URL, "fr"
        )
        self.assertEqual((delivered.filename, delivered.content_type), ("outil.zip", "application/zip"))

    def test_without_licence_the_original_is_delivered(self):
        original = str(self.original)

        class Document:
            filename = "outil.xlsx"
            file = type("F", (), {"path": original})()

        delivered = stamping.deliver(Document(), None, IDENTIFIER, URL, "fr")
        self.assertEqual(str(delivered.path), original)

    def test_licence_crediting_the_authors_names_no_party(self):
        licence = LicenceFactory(attribution="authors")
        text = stamping.terms_text(licence, IDENTIFIER, URL)
        self.assertIn(licence.spdx_id, text)
