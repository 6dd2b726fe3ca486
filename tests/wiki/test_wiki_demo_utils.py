"""The demo's helper for the English translation of a French snippet record."""

from django.test import TestCase

from licensing.models import PartnerOrganisation
from wiki.demo_utils import ensure_snippet_translation, locales


class SnippetTranslationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        fr, _ = locales()
        cls.partner = PartnerOrganisation.objects.create(locale=fr, name="Ministère", acronym="MSSS")

    def test_the_first_run_makes_the_english_translation_with_the_fields_given(self):
        english = ensure_snippet_translation(self.partner, {"name": "Ministry"})
        self.assertEqual(english.locale.language_code, "en")
        self.assertEqual(english.translation_key, self.partner.translation_key)
        self.assertEqual(PartnerOrganisation.objects.get(pk=english.pk).name, "Ministry")

    def test_a_second_run_updates_the_same_translation_instead_of_adding_one(self):
        first = ensure_snippet_translation(self.partner, {"name": "Ministry"})
        second = ensure_snippet_translation(self.partner, {"name": "Ministry of Health"})
        self.assertEqual(first.pk, second.pk)
        english = PartnerOrganisation.objects.filter(translation_key=self.partner.translation_key)
        self.assertEqual(english.filter(locale__language_code="en").count(), 1)
        self.assertEqual(english.get(locale__language_code="en").name, "Ministry of Health")

    def test_the_french_record_is_left_as_it_was(self):
        ensure_snippet_translation(self.partner, {"name": "Ministry"})
        self.partner.refresh_from_db()
        self.assertEqual(self.partner.name, "Ministère")
