"""The demo's licensing part: the memorandum, its six parties, its licence and amendment."""

import io

from django.core.management import call_command
from django.test import TestCase

from licensing.models import Agreement, Licence, PartnerOrganisation
from licensing.standard import MEMORANDUM_SPDX
from licensing.views import licensed_page_models


class LicensingDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.memorandum = Agreement.objects.get(locale__language_code="fr")
        cls.licence = Licence.objects.get(spdx_id=MEMORANDUM_SPDX, locale__language_code="fr")

    def test_memorandum_has_six_parties_with_logos(self):
        parties = self.memorandum.parties()
        self.assertEqual(len(parties), 6)
        self.assertTrue(all(party.logo_id for party in parties))

    def test_memorandum_has_an_amendment_in_both_languages(self):
        self.assertTrue(self.memorandum.amendments.exists())
        english = Agreement.objects.get(locale__language_code="en")
        self.assertTrue(english.amendments.exists())

    def test_memorandum_licence_names_the_memorandum_and_the_km_organisation(self):
        self.assertEqual(self.licence.agreement, self.memorandum)
        self.assertEqual(self.licence.licensor.acronym, "CLIPP")

    def test_every_demo_deliverable_has_a_licence_some_the_memorandum_one(self):
        pages = [page for model in licensed_page_models() for page in model.objects.live()]
        self.assertTrue(pages)
        self.assertTrue(all(page.licence_id for page in pages))
        self.assertTrue(any(page.licence.spdx_id == MEMORANDUM_SPDX for page in pages))

    def test_loading_the_demo_again_adds_no_partner_memorandum_or_licence_translation(self):
        models = (PartnerOrganisation, Agreement, Licence)
        counts = [model.objects.count() for model in models]
        call_command("load_demo", stdout=io.StringIO())
        self.assertEqual([model.objects.count() for model in models], counts)

    def test_every_party_has_its_english_name(self):
        english = PartnerOrganisation.objects.filter(locale__language_code="en")
        self.assertEqual(english.count(), 6)
        self.assertIn("Ministry of Health and Social Services", {partner.name for partner in english})
