"""The attribution a licence requires, on the public page of a deliverable under it."""

import json
import re
from html import unescape

from django.test import TestCase

from licensing.factories import memorandum_licence
from licensing.models import Licence
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from wiki.factories import build_site_tree


def json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def credit_line_value(html, language):
    match = re.search(rf'<input[^>]*class="credit-line" lang="{language}"[^>]*value="([^"]*)"', html)
    return unescape(match.group(1)).replace("\u00a0", " ")


class MemorandumDeliverablePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.licence = memorandum_licence(parties=4, spdx_id="LicenseRef-Test-Deliverable")
        cls.parties = cls.licence.agreement.parties()
        cls.deliverable = DeliverablePageFactory(
            parent=repository, locale=tree.fr, title="Plan de mobilisation", licence=cls.licence
        )

    def setUp(self):
        self.html = self.client.get(self.deliverable.url).content.decode()

    def test_page_names_every_party_of_the_agreement(self):
        section = self.html[self.html.index('class="attribution"') :]
        for party in self.parties:
            self.assertIn(party.name, section)

    def test_page_shows_the_logo_of_every_party(self):
        section = self.html[
            self.html.index('class="attribution"') : self.html.index(
                "</section>", self.html.index('class="attribution"')
            )
        ]
        logos = re.findall(r'<img [^>]*src="([^"]+)"', section)
        self.assertEqual(len(logos), len(self.parties))
        for party in self.parties:
            self.assertTrue(any(f"logo-{party.acronym.lower()}" in src for src in logos), party.acronym)

    def test_page_offers_the_credit_line_to_copy_in_french(self):
        self.assertEqual(
            credit_line_value(self.html, "fr"),
            "« Plan de mobilisation » © "
            + ", ".join(p.acronym for p in self.parties)
            + " – Licence : Licence du protocole (LicenseRef-Test-Deliverable).",
        )

    def test_page_offers_the_credit_line_to_copy_in_english(self):
        line = credit_line_value(self.html, "en")
        self.assertTrue(
            line.startswith("“Plan de mobilisation” © " + ", ".join(p.acronym for p in self.parties))
        )
        self.assertTrue(line.endswith("(LicenseRef-Test-Deliverable)."))

    def test_each_credit_line_has_a_copy_button_for_browsers_with_javascript(self):
        for language in ("fr", "en"):
            self.assertRegex(
                self.html,
                rf'<button type="button" class="button copy-credit" aria-controls="credit-line-{language}"',
            )
            self.assertIn(f'id="credit-line-{language}"', self.html)
        self.assertIn('<script src="/static/licensing/credit.js" defer></script>', self.html)

    def test_head_links_to_the_licence(self):
        head = self.html[: self.html.index("</head>")]
        self.assertIn(
            '<link rel="license" href="http://testserver/fr/licences/LicenseRef-Test-Deliverable/">', head
        )

    def test_page_carries_one_json_ld_object_with_the_description_and_the_rights(self):
        [data] = json_ld_blocks(self.html)
        self.assertEqual(data["identifier"], self.deliverable.identifier)
        self.assertEqual(data["name"], "Plan de mobilisation")
        self.assertEqual(data["license"], "http://testserver/fr/licences/LicenseRef-Test-Deliverable/")
        self.assertEqual(data["usageInfo"], data["license"])
        self.assertIn("© " + ", ".join(p.acronym for p in self.parties), data["creditText"])
        self.assertIn("acceptées avant le premier téléchargement", data["conditionsOfAccess"])

    def test_json_ld_names_every_party_as_copyright_holder_with_its_logo(self):
        [data] = json_ld_blocks(self.html)
        self.assertEqual(
            [holder["name"] for holder in data["copyrightHolder"]], [p.name for p in self.parties]
        )
        self.assertTrue(
            all(holder["logo"].startswith("http://testserver/") for holder in data["copyrightHolder"])
        )

    def test_the_page_stays_a_few_queries_whatever_the_number_of_parties(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as four_parties:
            self.client.get(self.deliverable.url)
        wider = memorandum_licence(parties=6, spdx_id="LicenseRef-Test-Wider")
        type(self.deliverable).objects.filter(pk=self.deliverable.pk).update(licence=wider)
        self.client.get(self.deliverable.url)  # makes the new logos' renditions
        with CaptureQueriesContext(connection) as six_parties:
            html = self.client.get(self.deliverable.url).content.decode()
        self.assertIn("LicenseRef-Test-Wider", html)
        self.assertEqual(len(six_parties), len(four_parties))


class CreativeCommonsDeliverablePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.licence = Licence.objects.get(spdx_id="CC-BY-4.0", locale=tree.fr)
        cls.deliverable = DeliverablePageFactory(
            parent=repository, locale=tree.fr, title="Guide d'animation", licence=cls.licence
        )

    def setUp(self):
        self.html = self.client.get(self.deliverable.url).content.decode()

    def test_credit_lines_credit_the_authors_under_the_licence(self):
        self.assertEqual(
            credit_line_value(self.html, "fr"),
            f"« Guide d'animation » © les auteurs – Licence : {self.licence.title} (CC-BY-4.0).",
        )
        self.assertIn("© the authors", credit_line_value(self.html, "en"))

    def test_page_names_no_party_and_shows_no_logo(self):
        section = self.html[self.html.index('class="attribution"') :]
        self.assertNotIn("party-logos", section)

    def test_head_links_to_the_creative_commons_deed(self):
        self.assertIn(f'<link rel="license" href="{self.licence.url}">', self.html)

    def test_json_ld_has_the_creative_commons_licence_and_no_party(self):
        [data] = json_ld_blocks(self.html)
        self.assertEqual(data["license"], self.licence.url)
        self.assertEqual(data["identifier"], self.deliverable.identifier)
        self.assertNotIn("copyrightHolder", data)
        self.assertIn("CC-BY-4.0", data["creditText"])
        self.assertIn("licence", data["conditionsOfAccess"])
