"""The rights of a deliverable in its OAI-PMH record (dc:rights), for harvesters."""

from pathlib import Path

from django.conf import settings
from django.test import TestCase
from lxml import etree

from licensing.factories import memorandum_licence
from licensing.models import Licence
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from wiki.factories import build_site_tree

SCHEMA = etree.XMLSchema(etree.parse(str(Path("/work/shared/schemas/OAI-PMH.xsd"))))
NS = {"dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class OAIRightsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.memorandum = memorandum_licence(parties=3, spdx_id="LicenseRef-Test-OAI")
        cls.creative_commons = Licence.objects.get(spdx_id="CC-BY-4.0", locale=tree.fr)
        cls.under_memorandum = DeliverablePageFactory(
            parent=repository, locale=tree.fr, title="Plan de mobilisation", licence=cls.memorandum
        )
        cls.under_cc = DeliverablePageFactory(
            parent=repository, locale=tree.fr, title="Guide d'animation", licence=cls.creative_commons
        )

    def rights(self, page):
        response = self.client.get(
            "/oai/",
            {
                "verb": "GetRecord",
                "identifier": f"oai:127.0.0.1:{page.identifier}",
                "metadataPrefix": "oai_dc",
            },
        )
        document = etree.fromstring(response.content)
        SCHEMA.assertValid(document)
        return [(element.get(XML_LANG), element.text) for element in document.iterfind(".//dc:rights", NS)]

    def test_record_states_the_licence_and_credits_every_party_in_french_and_in_english(self):
        rights = {lang: text for lang, text in self.rights(self.under_memorandum) if lang}
        acronyms = ", ".join(party.acronym for party in self.memorandum.agreement.parties())
        self.assertIn("© " + acronyms, rights["fr"])
        self.assertIn(
            "Licence : Licence du protocole (LicenseRef-Test-OAI)", rights["fr"].replace("\u00a0", " ")
        )
        self.assertIn("© " + acronyms, rights["en"])
        self.assertIn("(LicenseRef-Test-OAI)", rights["en"])

    def test_record_gives_the_address_of_the_licence_terms(self):
        texts = [text for _lang, text in self.rights(self.under_memorandum)]
        self.assertIn(settings.WAGTAILADMIN_BASE_URL + "/fr/licences/LicenseRef-Test-OAI/", texts)

    def test_creative_commons_record_points_to_the_deed_and_credits_the_authors(self):
        rights = self.rights(self.under_cc)
        self.assertIn((None, self.creative_commons.url), rights)
        english = next(text for lang, text in rights if lang == "en")
        self.assertIn("© the authors", english)
        self.assertIn("CC-BY-4.0", english)
