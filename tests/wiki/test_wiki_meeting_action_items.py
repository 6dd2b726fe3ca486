"""A meeting's action items are listed with their owner, or a dash when nobody owns one yet."""

import datetime

from django.test import TestCase

from wiki.factories import MeetingPageFactory, build_access_matrix
from wiki.models import ActionItem


class MeetingActionItemTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.meeting = MeetingPageFactory(
            parent=cls.world.workspace_a, locale=cls.world.tree.fr, title="Rencontre de suivi"
        )
        cls.meeting.action_items.add(
            ActionItem(description="Relancer le CIUSSS", due_date=datetime.date(2026, 12, 1))
        )
        cls.meeting.save()
        cls.meeting.save_revision().publish()

    def test_an_action_item_without_an_owner_is_listed_with_a_dash(self):
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get(self.meeting.url)
        self.assertContains(response, "Relancer le CIUSSS")
        self.assertContains(response, "<td>—</td>", html=False)
