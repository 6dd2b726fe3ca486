"""Licences as structured terms: generated summaries, versions, shipped licences."""

from django.test import TestCase

from licensing.factories import LicenceFactory, memorandum_licence
from licensing.models import Licence, LicenceVersion
from licensing.standard import ALL_RIGHTS_RESERVED_SPDX, MEMORANDUM_SPDX
from wiki.factories import get_locale


class GeneratedSummaryTests(TestCase):
    def test_summary_is_generated_in_french_and_in_english_from_the_terms(self):
        licence = LicenceFactory(commercial_use=False)
        self.assertIn("For non-commercial purposes only.", licence.summary_en)
        self.assertIn("À des fins non commerciales seulement.", licence.summary_fr)

    def test_memorandum_summary_names_the_licensor_and_the_agreement_parties(self):
        licence = memorandum_licence()
        self.assertIn(f"Licensor: {licence.licensor.name}.", licence.summary_en)
        self.assertIn(licence.agreement.title, licence.summary_en)
        self.assertIn("Every copy must show the name and logo of every party.", licence.summary_en)

    def test_memorandum_summary_states_the_integrity_and_survival_clauses(self):
        licence = memorandum_licence()
        self.assertIn("No change without the prior agreement of the Steering Committee", licence.summary_en)
        self.assertIn("These terms survive the end of the agreement.", licence.summary_en)

    def test_summary_in_the_active_language_is_the_one_shown(self):
        licence = LicenceFactory()
        self.assertEqual(licence.summary("en"), licence.summary_en)
        self.assertEqual(licence.summary("fr"), licence.summary_fr)

    def test_licence_granting_no_act_says_all_rights_are_reserved(self):
        licence = LicenceFactory(
            may_reproduce=False, may_communicate=False, may_disseminate=False, may_modify=False
        )
        self.assertIn("All rights reserved", licence.summary_en)


class VersionTests(TestCase):
    def test_new_licence_starts_at_version_one_with_a_snapshot(self):
        licence = LicenceFactory()
        self.assertEqual(licence.version, 1)
        snapshot = LicenceVersion.objects.get(licence_key=licence.translation_key)
        self.assertEqual(snapshot.terms, licence.terms())

    def test_changing_a_term_regenerates_both_summaries_and_raises_the_version(self):
        licence = LicenceFactory(commercial_use=True)
        before_fr, before_en = licence.summary_fr, licence.summary_en
        licence.commercial_use = False
        licence.save()
        licence.refresh_from_db()
        self.assertEqual(licence.version, 2)
        self.assertNotEqual(licence.summary_fr, before_fr)
        self.assertNotEqual(licence.summary_en, before_en)
        self.assertIn("For non-commercial purposes only.", licence.summary_en)

    def test_every_version_keeps_its_own_snapshot(self):
        licence = LicenceFactory(commercial_use=True)
        licence.commercial_use = False
        licence.save()
        snapshots = LicenceVersion.objects.filter(licence_key=licence.translation_key).order_by("number")
        self.assertEqual([s.terms["commercial_use"] for s in snapshots], [True, False])

    def test_renaming_a_licence_is_not_a_new_version(self):
        licence = LicenceFactory()
        licence.title = "Nouveau nom"
        licence.save()
        self.assertEqual(licence.version, 1)
        self.assertEqual(LicenceVersion.objects.filter(licence_key=licence.translation_key).count(), 1)

    def test_translation_receives_the_new_terms_and_version(self):
        licence = LicenceFactory(commercial_use=True)
        english = licence.copy_for_translation(get_locale("en"))
        english.title = "Licence in English"
        english.save()
        licence.commercial_use = False
        licence.save()
        english.refresh_from_db()
        self.assertFalse(english.commercial_use)
        self.assertEqual(english.version, 2)
        self.assertEqual(english.summary_en, licence.summary_en)

    def test_translation_of_the_memorandum_licence_points_to_the_english_licensor(self):
        licence = memorandum_licence()
        en = get_locale("en")
        licensor_en = licence.licensor.copy_for_translation(en)
        licensor_en.name = "Knowledge mobilisation organisation"
        licensor_en.save()
        english = licence.copy_for_translation(en)
        english.save()
        licence.territory = "Québec"
        licence.save()
        english.refresh_from_db()
        self.assertEqual(english.licensor, licensor_en)
        self.assertIn("Licensor: Knowledge mobilisation organisation.", licence.summary_en)


class ShippedLicencesTests(TestCase):
    def test_a_fresh_install_has_the_memorandum_creative_commons_and_all_rights_reserved_licences(self):
        expected = {MEMORANDUM_SPDX, "CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-NC-ND-4.0", ALL_RIGHTS_RESERVED_SPDX}
        for language in ("fr", "en"):
            shipped = set(
                Licence.objects.filter(locale__language_code=language).values_list("spdx_id", flat=True)
            )
            self.assertTrue(expected <= shipped, language)

    def test_shipped_licences_have_their_summaries_and_first_version(self):
        licence = Licence.objects.get(spdx_id="CC-BY-NC-ND-4.0", locale__language_code="fr")
        self.assertIn("Aucune adaptation", licence.summary_fr)
        self.assertTrue(LicenceVersion.objects.filter(licence_key=licence.translation_key, number=1).exists())

    def test_memorandum_licence_requires_approval_and_acceptance(self):
        licence = Licence.objects.get(spdx_id=MEMORANDUM_SPDX, locale__language_code="fr")
        self.assertTrue(licence.approval_required)
        self.assertTrue(licence.requires_acceptance)
        self.assertFalse(licence.commercial_use)
