"""The records part of the translation status: memoranda with their amendments and tag names,
besides partner organisations and licences."""

from django.test import TestCase
from django.urls import reverse
from taggit.models import Tag

from licensing.factories import AgreementFactory, AmendmentFactory
from licensing.models import Amendment
from translations.models import TagLabel
from translations.status import CURRENT, MISSING, OUTDATED, snippet_rows
from wiki.factories import build_access_matrix


def row_for(rows, source):
    return next(
        row
        for row in rows
        if type(row.source) is type(source)
        and row.source.pk == source.pk
        and row.locale.language_code == "en"
    )


class AgreementStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.admin = cls.world.users["admin"]
        cls.agreement = AgreementFactory(locale=cls.world.tree.fr, title="Protocole d'entente des CUA")
        cls.amendment = AmendmentFactory(agreement=cls.agreement, summary="Prolongation d'un an.")
        translation = cls.agreement.copy_for_translation(cls.world.tree.en)
        translation.title = "Memorandum of understanding of the AUCs"
        translation.save()
        cls.untranslated = AgreementFactory(locale=cls.world.tree.fr, title="Entente sur les données")

    def state(self, source):
        return row_for(snippet_rows(self.admin), source)

    def test_a_freshly_translated_memorandum_is_up_to_date(self):
        self.assertEqual(self.state(self.agreement).state, CURRENT)

    def test_a_memorandum_with_no_english_version_is_listed_as_not_translated(self):
        self.assertEqual(self.state(self.untranslated).state, MISSING)

    def test_changing_an_amendment_of_the_french_memorandum_flags_the_english_one(self):
        Amendment.objects.filter(pk=self.amendment.pk).update(summary="Prolongation de deux ans.")
        row = self.state(self.agreement)
        self.assertEqual(row.state, OUTDATED)
        self.assertEqual([change["field"] for change in row.changes], ["Avenants"])
        self.assertIn("deux ans.", row.changes[0]["added"])

    def test_a_new_amendment_of_the_french_memorandum_flags_the_english_one(self):
        AmendmentFactory(agreement=self.agreement, summary="Ajout d'une partie.")
        self.assertEqual(self.state(self.agreement).state, OUTDATED)

    def test_saving_the_english_memorandum_again_clears_the_flag(self):
        AmendmentFactory(agreement=self.agreement, summary="Ajout d'une partie.")
        english = self.agreement.get_translation(self.world.tree.en)
        english.save()
        self.assertEqual(self.state(self.agreement).state, CURRENT)

    def test_the_records_view_names_the_kind_of_record_in_french(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("translations_admin:snippet_status"))
        self.assertContains(response, f'data-source-id="{self.untranslated.pk}" data-locale="en"')
        self.assertContains(response, "Protocole d&#x27;entente")

    def test_a_member_without_the_right_to_change_memoranda_sees_none(self):
        self.assertEqual(snippet_rows(self.world.users["member-a"]), [])


class TagLabelStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.admin = cls.world.users["admin"]
        tag = Tag.objects.create(name="santé mentale", slug="sante-mentale")
        cls.label = TagLabel.objects.create(
            tag=tag, name="Santé mentale", slug="sante-mentale", locale=cls.world.tree.fr
        )

    def test_a_tag_name_with_no_english_name_is_listed_as_not_translated(self):
        self.assertEqual(row_for(snippet_rows(self.admin), self.label).state, MISSING)

    def test_a_tag_name_translated_into_english_is_up_to_date(self):
        english = self.label.copy_for_translation(self.world.tree.en)
        english.name, english.slug = "Mental health", "mental-health"
        english.save()
        self.assertEqual(row_for(snippet_rows(self.admin), self.label).state, CURRENT)

    def test_renaming_the_french_tag_flags_the_english_name(self):
        english = self.label.copy_for_translation(self.world.tree.en)
        english.name, english.slug = "Mental health", "mental-health"
        english.save()
        self.label.name = "Santé mentale des jeunes"
        self.label.save()
        self.assertEqual(row_for(snippet_rows(self.admin), self.label).state, OUTDATED)
