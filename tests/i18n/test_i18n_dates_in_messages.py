"""Dates that Python code writes into messages follow the reader's language, in local time,
with « 1er » for the first of the month (not a raw ``strftime`` in UTC)."""

import datetime

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from wiki.factories import build_access_matrix


class RestoredRevisionMessageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        page = cls.world.page_a.specific
        cls.revision = page.latest_revision
        # 1 June 2026 at 18:30 UTC is 14:30 in Montréal.
        moment = datetime.datetime(2026, 6, 1, 18, 30, tzinfo=datetime.UTC)
        type(cls.revision).objects.filter(pk=cls.revision.pk).update(created_at=moment)

    def restore(self, language):
        self.client.force_login(self.world.users["coordinator-a"])
        with translation.override(language):
            url = reverse("wiki:restore", args=[self.world.page_a.pk, self.revision.pk])
        response = self.client.post(url)
        return [str(message) for message in get_messages(response.wsgi_request)]

    def test_the_french_message_gives_the_local_date_with_1er_and_14_h_30(self):
        messages = self.restore("fr")
        self.assertTrue(any("1er juin 2026, 14 h 30" in m for m in messages), messages)

    def test_the_english_message_gives_the_canadian_english_date(self):
        messages = self.restore("en")
        self.assertTrue(any("June 1, 2026, 2:30 p.m." in m for m in messages), messages)
