"""Meeting announcements: one email per member when a meeting is scheduled or moved."""

import datetime
import logging
import smtplib
from unittest import mock

from django.core import mail as outbox
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase, override_settings
from django.utils import timezone
from icalendar import Calendar
from notifications_world import build_world, publish

from notifications.factories import EmailSettingsFactory, WorkspaceSubscriptionFactory
from wiki import access
from wiki.factories import MeetingPageFactory, publish_translation
from wiki.models import MeetingPage


class FailingBackend(BaseEmailBackend):
    """An SMTP server that refuses everything."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class MeetingAnnouncementTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world(cls)

    def new_meeting(self, **fields):
        fields.setdefault("start", timezone.now() + datetime.timedelta(days=10))
        fields.setdefault("agenda", "<ol><li>Tour de table</li><li>Plan d'action 2027</li></ol>")
        meeting = MeetingPageFactory(
            parent=self.workspace_a,
            locale=self.matrix.tree.fr,
            title="Rencontre de janvier",
            live=False,
            **fields,
        )
        return meeting

    def translate(self, meeting):
        publish_translation(self.workspace_a, self.matrix.tree.en)
        access.sync_workspace(self.workspace_a.translation_key)
        return publish_translation(meeting, self.matrix.tree.en)

    def publish_and_commit(self, page, user=None):
        with self.captureOnCommitCallbacks(execute=True):
            publish(page, user)

    def recipients(self):
        return sorted(address for message in outbox.outbox for address in message.to)

    def test_publishing_a_meeting_emails_each_current_member_once(self):
        self.publish_and_commit(self.new_meeting(), self.users["coordinator-a"])
        expected = sorted(
            [self.users["member-a"].email, self.users["coordinator-a"].email, self.english.email]
        )
        self.assertEqual(self.recipients(), expected)

    def test_members_of_other_workspaces_and_former_members_get_no_announcement(self):
        self.publish_and_commit(self.new_meeting())
        self.assertNotIn(self.users["member-b"].email, self.recipients())
        self.assertNotIn(self.former.email, self.recipients())
        self.assertNotIn(self.users["partner"].email, self.recipients())

    def test_the_announcement_carries_the_agenda_the_place_and_an_ics_file(self):
        self.publish_and_commit(self.new_meeting(location="https://visio.example.org/janvier"))
        message = next(m for m in outbox.outbox if m.to == [self.users["member-a"].email])
        self.assertIn("Plan d'action 2027", message.body)
        self.assertIn("https://visio.example.org/janvier", message.body)
        html = message.alternatives[0][0]
        self.assertIn("<li>Plan d'action 2027</li>", html)
        name, content, mimetype = message.attachments[0]
        self.assertTrue(name.endswith(".ics"))
        self.assertTrue(mimetype.startswith("text/calendar"))
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        self.assertEqual(str(event["summary"]), "Rencontre de janvier")

    def test_the_announcement_lists_pre_reading_documents(self):
        meeting = self.new_meeting()
        meeting.pre_reading = [("document", self.matrix.document_a)]
        self.publish_and_commit(meeting)
        message = next(m for m in outbox.outbox if m.to == [self.users["member-a"].email])
        self.assertIn("Procès-verbal confidentiel A", message.body)
        self.assertIn(self.matrix.document_a.url, message.body)

    def test_publishing_again_without_moving_the_meeting_sends_nothing_more(self):
        meeting = self.new_meeting()
        self.publish_and_commit(meeting)
        sent = len(outbox.outbox)
        meeting.agenda = "<p>Ordre du jour révisé</p>"
        self.publish_and_commit(meeting)
        self.assertEqual(len(outbox.outbox), sent)

    def test_moving_the_meeting_sends_a_new_announcement(self):
        meeting = self.new_meeting()
        self.publish_and_commit(meeting)
        outbox.outbox.clear()
        meeting.start = meeting.start + datetime.timedelta(days=1)
        self.publish_and_commit(meeting)
        message = next(m for m in outbox.outbox if m.to == [self.users["member-a"].email])
        self.assertIn("Rencontre déplacée", message.subject)
        event = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
        self.assertEqual(int(event["sequence"]), 1)

    def test_a_meeting_in_the_past_is_not_announced(self):
        self.publish_and_commit(self.new_meeting(start=timezone.now() - datetime.timedelta(days=2)))
        self.assertEqual(outbox.outbox, [])

    def test_members_who_turned_announcements_off_get_none(self):
        WorkspaceSubscriptionFactory(user=self.users["member-a"], workspace=self.workspace_a, meetings=False)
        EmailSettingsFactory(user=self.english)
        self.publish_and_commit(self.new_meeting())
        self.assertEqual(self.recipients(), [self.users["coordinator-a"].email])

    def test_each_member_reads_the_announcement_in_their_own_language(self):
        self.publish_and_commit(self.new_meeting())
        french = next(m for m in outbox.outbox if m.to == [self.users["member-a"].email])
        english = next(m for m in outbox.outbox if m.to == [self.english.email])
        self.assertIn("Nouvelle rencontre", french.subject)
        self.assertIn("Ordre du jour", french.body)
        self.assertIn("New meeting", english.subject)
        self.assertIn("Agenda", english.body)
        self.assertIn("/en/notifications/unsubscribe/", english.extra_headers["List-Unsubscribe"])

    def test_readers_get_their_languages_copy_of_the_meeting_when_it_has_the_same_time(self):
        meeting = self.new_meeting()
        self.publish_and_commit(meeting)
        english_copy = self.translate(meeting)
        english_copy.title = "January meeting"
        self.publish_and_commit(english_copy)
        outbox.outbox.clear()
        meeting.start += datetime.timedelta(hours=2)
        english_copy.start = meeting.start
        with self.captureOnCommitCallbacks(execute=True):
            publish(english_copy)
            publish(meeting)
        english = next(m for m in outbox.outbox if m.to == [self.english.email])
        self.assertIn("January meeting", english.body)

    def test_a_stale_translation_is_not_sent_with_the_old_time(self):
        meeting = self.new_meeting()
        self.publish_and_commit(meeting)
        english_copy = self.translate(meeting)
        english_copy.title = "January meeting"
        self.publish_and_commit(english_copy)
        outbox.outbox.clear()
        meeting.start += datetime.timedelta(days=1)
        self.publish_and_commit(meeting)
        english = next(m for m in outbox.outbox if m.to == [self.english.email])
        self.assertIn("Rencontre de janvier", english.body)
        self.assertNotIn("January meeting", english.body)
        self.assertEqual(len([m for m in outbox.outbox if m.to == [self.english.email]]), 1)

    def test_every_announcement_says_why_and_has_one_click_unsubscribe_headers(self):
        self.publish_and_commit(self.new_meeting())
        for message in outbox.outbox:
            self.assertIn(
                "/unsubscribe/" if message.to == [self.english.email] else "/avis/desabonnement/",
                message.extra_headers["List-Unsubscribe"],
            )
            self.assertEqual(message.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        french = next(m for m in outbox.outbox if m.to == [self.users["member-a"].email])
        self.assertIn("parce que vous êtes membre de", french.body)

    def test_an_unexpected_error_while_announcing_is_logged_and_the_meeting_is_still_published(self):
        meeting = self.new_meeting()
        with (
            mock.patch("notifications.meetings.meeting_context", side_effect=RuntimeError("boom")),
            self.assertLogs("django", level=logging.ERROR) as logs,
        ):
            self.publish_and_commit(meeting, self.users["coordinator-a"])
        self.assertTrue(MeetingPage.objects.get(pk=meeting.pk).live)
        self.assertIn("announce_meeting", "\n".join(logs.output))

    @override_settings(EMAIL_BACKEND="test_notifications_meetings.FailingBackend")
    def test_a_mail_server_failure_is_logged_and_the_meeting_is_still_published(self):
        meeting = self.new_meeting()
        with self.assertLogs("notifications", level=logging.ERROR) as logs:
            self.publish_and_commit(meeting, self.users["coordinator-a"])
        self.assertTrue(MeetingPage.objects.get(pk=meeting.pk).live)
        self.assertIn("not sent", "\n".join(logs.output))
