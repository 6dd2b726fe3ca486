"""Digests: one email per member and frequency, only what they have not seen, never a page
they may not read."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail as outbox
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from notifications_world import build_world, publish
from wagtail.models import PageViewRestriction

from notifications import digests
from notifications.factories import PageReaderFactory, WorkspaceSubscriptionFactory
from notifications.models import Frequency, WorkspaceSubscription
from wiki.factories import MeetingPageFactory, WikiPageFactory
from wiki.models import Membership


def run(*args):
    with open("/dev/null", "w") as devnull:
        call_command("send_digests", *args, stdout=devnull)


class DigestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world(cls)
        a_week_ago = timezone.now() - datetime.timedelta(days=8)
        for user in (cls.users["member-a"], cls.users["coordinator-a"], cls.english, cls.users["member-b"]):
            workspace = cls.matrix.workspace_b if user == cls.users["member-b"] else cls.workspace_a
            WorkspaceSubscriptionFactory(user=user, workspace=workspace, last_digest_at=a_week_ago)

    def digest_of(self, user):
        messages = [m for m in outbox.outbox if m.to == [user.email]]
        self.assertLessEqual(len(messages), 1, "never more than one digest per person and frequency")
        return messages[0] if messages else None

    def test_a_page_changed_by_someone_else_is_in_the_members_digest(self):
        publish(self.page_a, self.users["coordinator-a"])
        run()
        digest = self.digest_of(self.users["member-a"])
        self.assertIn("Plan confidentiel de la CdP A", digest.body)
        self.assertIn("Pages modifiées", digest.body)
        self.assertIn(settings.WAGTAILADMIN_BASE_URL + self.page_a.url, digest.body)

    def test_a_members_own_changes_are_not_in_their_digest(self):
        publish(self.page_a, self.users["coordinator-a"])
        run()
        self.assertIsNone(self.digest_of(self.users["coordinator-a"]))

    def test_a_page_the_member_opened_after_the_change_is_left_out(self):
        publish(self.page_a, self.users["coordinator-a"])
        self.client.force_login(self.users["member-a"])
        self.assertEqual(self.client.get(self.page_a.url).status_code, 200)
        run()
        self.assertIsNone(self.digest_of(self.users["member-a"]))
        self.assertIsNotNone(self.digest_of(self.english))

    def test_many_changes_make_one_digest(self):
        publish(self.page_a, self.users["coordinator-a"])
        other = WikiPageFactory(parent=self.workspace_a, locale=self.matrix.tree.fr, title="Guide d'accueil")
        publish(other, self.users["coordinator-a"])
        publish(self.page_a, self.english)
        run()
        digest = self.digest_of(self.users["member-a"])
        self.assertIn("Guide d'accueil", digest.body)
        self.assertIn("Nouvelles pages", digest.body)
        self.assertEqual(digest.body.count("Plan confidentiel de la CdP A"), 1)

    def test_a_second_run_sends_nothing_new(self):
        publish(self.page_a, self.users["coordinator-a"])
        run("--frequency", "weekly")
        self.assertIsNotNone(self.digest_of(self.users["member-a"]))
        outbox.outbox.clear()
        run("--frequency", "weekly")
        self.assertEqual(outbox.outbox, [])

    def test_nothing_new_means_no_email(self):
        run()
        self.assertEqual(outbox.outbox, [])

    def test_a_page_in_a_private_sub_area_is_not_in_the_digest_of_a_member_who_cannot_see_it(self):
        secret = WikiPageFactory(
            parent=self.workspace_a, locale=self.matrix.tree.fr, title="Dossier RH confidentiel"
        )
        restriction = PageViewRestriction.objects.create(
            page=secret, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set([Group.objects.create(name="Ressources humaines")])
        publish(secret, self.users["coordinator-a"])
        publish(self.page_a, self.users["coordinator-a"])
        run()
        digest = self.digest_of(self.users["member-a"])
        self.assertIn("Plan confidentiel de la CdP A", digest.body)
        self.assertNotIn("Dossier RH confidentiel", digest.body)
        self.assertNotIn("Dossier RH confidentiel", digest.alternatives[0][0])

    def test_a_member_who_left_gets_no_digest_of_the_workspace(self):
        Membership.objects.filter(user=self.users["member-a"]).update(
            left=timezone.localdate() - datetime.timedelta(days=1)
        )
        publish(self.page_a, self.users["coordinator-a"])
        run()
        self.assertIsNone(self.digest_of(self.users["member-a"]))

    def test_a_new_meeting_has_its_own_heading(self):
        meeting = MeetingPageFactory(
            parent=self.workspace_a, locale=self.matrix.tree.fr, title="Rencontre de mars", live=False
        )
        with self.captureOnCommitCallbacks(execute=False):
            publish(meeting, self.users["coordinator-a"])
        run()
        self.assertIn("Nouvelles rencontres", self.digest_of(self.users["member-a"]).body)

    def test_a_digest_turned_off_is_not_sent(self):
        WorkspaceSubscription.objects.filter(user=self.users["member-a"]).update(digest=Frequency.OFF)
        publish(self.page_a, self.users["coordinator-a"])
        run()
        self.assertIsNone(self.digest_of(self.users["member-a"]))

    def test_a_weekly_digest_is_not_sent_again_before_a_week(self):
        WorkspaceSubscription.objects.filter(user=self.users["member-a"]).update(
            last_digest_at=timezone.now() - datetime.timedelta(days=2)
        )
        publish(self.page_a, self.users["coordinator-a"])
        run()
        self.assertIsNone(self.digest_of(self.users["member-a"]))

    def test_a_daily_digest_covers_the_last_day(self):
        WorkspaceSubscription.objects.filter(user=self.users["member-a"]).update(
            digest=Frequency.DAILY, last_digest_at=timezone.now() - datetime.timedelta(days=1)
        )
        publish(self.page_a, self.users["coordinator-a"])
        run("--frequency", "daily")
        self.assertIn("quotidien", self.digest_of(self.users["member-a"]).subject)

    def test_changes_to_a_watched_page_are_listed_under_pages_you_watch(self):
        PageReaderFactory(
            user=self.users["member-a"],
            page=self.page_a,
            watched_since=timezone.now() - datetime.timedelta(days=8),
        )
        publish(self.page_a, self.users["coordinator-a"])
        run()
        body = self.digest_of(self.users["member-a"]).body
        self.assertIn("Pages que vous suivez", body)
        self.assertEqual(body.count("Plan confidentiel de la CdP A"), 1)

    def test_the_digest_is_in_the_members_language_and_says_why_it_was_sent(self):
        publish(self.page_a, self.users["coordinator-a"])
        run()
        english = self.digest_of(self.english)
        self.assertIn("weekly digest", english.subject)
        self.assertIn("You receive this because you are a member of", english.body)
        self.assertIn("chose a weekly digest", english.body)
        french = self.digest_of(self.users["member-a"])
        self.assertIn("résumé hebdomadaire", french.body)
        self.assertIn("List-Unsubscribe", french.extra_headers)
        self.assertEqual(french.extra_headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

    def test_a_dry_run_sends_nothing_and_changes_nothing(self):
        publish(self.page_a, self.users["coordinator-a"])
        before = WorkspaceSubscription.objects.get(user=self.users["member-a"]).last_digest_at
        run("--dry-run")
        self.assertEqual(outbox.outbox, [])
        self.assertEqual(
            WorkspaceSubscription.objects.get(user=self.users["member-a"]).last_digest_at, before
        )

    def test_a_member_of_another_workspace_never_hears_of_workspace_a(self):
        publish(self.page_a, self.users["coordinator-a"])
        run()
        self.assertIsNone(self.digest_of(self.users["member-b"]))
        for message in outbox.outbox:
            if message.to == [self.users["member-b"].email]:
                self.assertNotIn("CdP A", message.body)

    def test_collect_reports_nothing_due_right_after_a_digest(self):
        publish(self.page_a, self.users["coordinator-a"])
        run()
        self.assertIsNone(digests.collect(self.users["member-a"], Frequency.WEEKLY))
