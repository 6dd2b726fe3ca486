"""Citing a deliverable: APA on the page, and BibTeX, RIS and CSL-JSON exports that real
libraries read back; schema.org JSON-LD and citation_* tags for harvesters and reference managers."""

import json
import re

import bibtexparser
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.test import TestCase
from django.urls import reverse

from repository.factories import DeliverableCreatorFactory, DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki.factories import build_site_tree


class CitationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        cls.deliverable = DeliverablePageFactory(
            parent=cls.repository,
            locale=cls.tree.fr,
            title="Guide d'intervention {concertée} en santé mentale",
            deliverable_type=DeliverablePage.Type.GUIDE,
            version="2",
        )
        cls.deliverable.tags.add("santé mentale", "jeunesse")
        DeliverableCreatorFactory(
            page=cls.deliverable, family_name="Tremblay", given_name="Marie-Claude", sort_order=0
        )
        DeliverableCreatorFactory(
            page=cls.deliverable,
            family_name="Côté",
            given_name="Jean",
            affiliation="Université Laval",
            sort_order=1,
        )
        cls.deliverable.save_revision().publish()

    def export(self, fmt):
        response = self.client.get(reverse("deliverable_cite", args=[self.deliverable.pk, fmt]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        return response.content.decode("utf-8")

    def test_bibtex_export_is_read_back_by_bibtexparser(self):
        library = bibtexparser.parse_string(self.export("bib"))
        self.assertEqual(len(library.failed_blocks), 0)
        entry = library.entries[0]
        self.assertEqual(entry.key, self.deliverable.identifier.replace("-", ""))
        self.assertEqual(entry["author"], "Tremblay, Marie-Claude and Côté, Jean")
        self.assertEqual(entry["year"], "2026")
        self.assertIn("Guide d'intervention", entry["title"])
        self.assertIn("/id/" + self.deliverable.identifier, entry["url"])

    def test_ris_export_is_read_back_by_rispy(self):
        [record] = rispy.loads(self.export("ris"))
        self.assertEqual(record["type_of_reference"], "GEN")
        self.assertEqual(record["authors"], ["Tremblay, Marie-Claude", "Côté, Jean"])
        self.assertEqual(record["title"], self.deliverable.title)
        self.assertEqual(record["year"], "2026")
        self.assertEqual(sorted(record["keywords"]), ["jeunesse", "santé mentale"])

    def test_csl_json_export_is_rendered_by_citeproc(self):
        source = CiteProcJSON(json.loads(self.export("json")))
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        bibliography.register(Citation([CitationItem(self.deliverable.identifier.lower())]))
        [reference] = [str(item) for item in bibliography.bibliography()]
        self.assertIn("Tremblay", reference)
        self.assertIn("2026", reference)
        self.assertIn("Guide d", reference)

    def test_page_shows_the_apa_reference(self):
        response = self.client.get(self.deliverable.url)
        self.assertContains(response, "Tremblay, M.-C., &amp; Côté, J. (2026).")
        self.assertContains(response, "(Version 2) [Guide]")

    def test_page_carries_schema_org_json_ld(self):
        content = self.client.get(self.deliverable.url).content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
        data = json.loads(block)
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["identifier"], self.deliverable.identifier)
        self.assertEqual([c["familyName"] for c in data["creator"]], ["Tremblay", "Côté"])
        self.assertEqual(data["creator"][1]["affiliation"]["name"], "Université Laval")

    def test_page_carries_citation_meta_tags(self):
        response = self.client.get(self.deliverable.url)
        self.assertContains(response, '<meta name="citation_author" content="Tremblay, Marie-Claude">')
        self.assertContains(response, '<meta name="citation_publication_date" content="2026/11/22">')
        self.assertContains(response, 'name="citation_title"')

    def test_an_unknown_export_format_is_not_found(self):
        response = self.client.get(reverse("deliverable_cite", args=[self.deliverable.pk, "docx"]))
        self.assertEqual(response.status_code, 404)
