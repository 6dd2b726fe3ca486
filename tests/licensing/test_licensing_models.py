"""Partner organisations and the memorandum that binds them."""

from django.db.models import ProtectedError
from django.test import TestCase
from wagtail.snippets.models import get_snippet_models

from licensing.factories import AgreementFactory, PartnerOrganisationFactory, SignatureFactory
from licensing.models import Agreement, PartnerOrganisation
from wiki.factories import get_locale


class PartnerOrganisationTests(TestCase):
    def test_partner_is_named_with_its_acronym_in_credit_lines(self):
        partner = PartnerOrganisationFactory(
            name="Institut universitaire jeunes en difficulté", acronym="IUJD"
        )
        self.assertEqual(str(partner), "Institut universitaire jeunes en difficulté (IUJD)")

    def test_partner_without_acronym_is_named_by_its_name_alone(self):
        partner = PartnerOrganisationFactory(name="Table des centres", acronym="")
        self.assertEqual(str(partner), "Table des centres")

    def test_partners_are_listed_by_name(self):
        PartnerOrganisationFactory(name="Ministère")
        PartnerOrganisationFactory(name="Centre affilié")
        self.assertEqual(
            list(PartnerOrganisation.objects.values_list("name", flat=True)), ["Centre affilié", "Ministère"]
        )

    def test_new_partner_is_recorded_in_french_the_default_locale(self):
        self.assertEqual(PartnerOrganisationFactory().locale, get_locale("fr"))

    def test_partner_has_an_english_translation_sharing_its_translation_key(self):
        partner = PartnerOrganisationFactory()
        english = partner.copy_for_translation(get_locale("en"))
        english.save()
        self.assertEqual(partner.get_translation(get_locale("en")), english)


class AgreementTests(TestCase):
    def test_agreement_lists_its_parties_in_order(self):
        agreement = AgreementFactory()
        first = SignatureFactory(agreement=agreement, party__name="Organisme de mobilisation", sort_order=0)
        second = SignatureFactory(agreement=agreement, party__name="Centre affilié", sort_order=1)
        self.assertEqual([s.party for s in agreement.signatures.all()], [first.party, second.party])

    def test_party_that_signed_an_agreement_cannot_be_deleted(self):
        signature = SignatureFactory()
        with self.assertRaises(ProtectedError):
            signature.party.delete()

    def test_deleting_an_agreement_deletes_its_signatures_but_keeps_the_parties(self):
        signature = SignatureFactory()
        signature.agreement.delete()
        self.assertFalse(Agreement.objects.exists())
        self.assertTrue(PartnerOrganisation.objects.filter(pk=signature.party_id).exists())


class LicensingSnippetsTests(TestCase):
    def test_partners_and_agreements_are_edited_as_snippets(self):
        self.assertIn(PartnerOrganisation, get_snippet_models())
        self.assertIn(Agreement, get_snippet_models())
