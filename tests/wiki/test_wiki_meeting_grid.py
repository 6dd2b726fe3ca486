"""A meeting's optional documentation grid: entered in the editor, shown on the meeting page
in the reader's language, offered for translation, private like the rest of the meeting."""

from django.test import TestCase
from django.utils import translation
from wagtail_localize.fields import get_translatable_fields

from wiki.factories import MeetingPageFactory, build_access_matrix, publish_translation
from wiki.models import MeetingPage


class MeetingGridTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.meeting = MeetingPageFactory(
            parent=cls.world.workspace_a,
            locale=cls.world.tree.fr,
            title="Rencontre de codéveloppement",
            grid_profile="<p>Mère de deux enfants, suivie en dépendance.</p>",
            grid_solutions="<p>Plan de sécurité partagé avec la DPJ.</p>",
        )
        cls.meeting.save_revision().publish()
        cls.member = cls.world.users["member-a"]

    def test_the_meeting_page_shows_the_grid_with_its_headings(self):
        self.client.force_login(self.member)
        response = self.client.get(self.meeting.url)
        self.assertContains(response, "Grille de documentation")
        self.assertContains(response, "Solutions proposées")
        self.assertContains(response, "Plan de sécurité partagé avec la DPJ.")

    def test_only_the_filled_parts_of_the_grid_are_shown(self):
        self.client.force_login(self.member)
        response = self.client.get(self.meeting.url)
        self.assertEqual(len(response.context["grid"]), 2)
        self.assertNotContains(response, "Posture professionnelle")

    def test_a_meeting_without_a_grid_shows_none(self):
        self.client.force_login(self.member)
        response = self.client.get(self.world.meeting_a.url)
        self.assertNotContains(response, "Grille de documentation")

    def test_the_english_meeting_shows_english_headings(self):
        english = publish_translation(self.world.workspace_a, self.world.tree.en)
        self.assertIsNotNone(english)
        meeting_en = publish_translation(self.meeting, self.world.tree.en)
        self.client.force_login(self.member)
        with translation.override("en"):
            response = self.client.get(meeting_en.url)
        self.assertContains(response, "Documentation grid")
        self.assertContains(response, "Proposed solutions")

    def test_every_part_of_the_grid_is_offered_for_translation(self):
        translated = {
            field.field_name
            for field in get_translatable_fields(MeetingPage)
            if field.is_translated(self.meeting)
        }
        self.assertTrue(set(MeetingPage.GRID_FIELDS) <= translated, translated)

    def test_member_b_reads_nothing_of_the_grid(self):
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(self.meeting.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "Plan de sécurité", status_code=403)

    def test_the_meeting_page_carries_the_class_its_print_rules_use(self):
        self.client.force_login(self.member)
        response = self.client.get(self.meeting.url)
        self.assertContains(response, '<body class="meeting')
