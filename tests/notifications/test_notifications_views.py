"""My notifications, the watch button, remembering what a member read, and unsubscribing."""

import datetime

from django.core import signing
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from notifications_world import build_world, publish

from notifications import mail
from notifications.factories import PageReaderFactory, WorkspaceSubscriptionFactory
from notifications.models import EmailSettings, Frequency, PageReader, WorkspaceSubscription


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


class UnsubscribeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world(cls)
        cls.member = cls.users["member-a"]
        cls.subscription = WorkspaceSubscriptionFactory(user=cls.member, workspace=cls.workspace_a)
        cls.token = mail.unsubscribe_token(cls.member, mail.DIGEST, [cls.workspace_a.translation_key])

    def test_the_unsubscribe_link_opens_without_signing_in_and_names_the_workspace(self):
        response = self.client.get(url("notifications:unsubscribe", self.token))
        self.assertContains(response, "CdP A")
        self.assertContains(response, "Se désabonner de ces résumés")
        self.assertContains(response, "Ne plus recevoir aucun courriel de la plateforme")

    def test_opening_the_link_changes_nothing(self):
        self.client.get(url("notifications:unsubscribe", self.token))
        self.subscription.refresh_from_db()
        self.assertEqual(self.subscription.digest, Frequency.WEEKLY)

    def test_a_one_click_post_from_a_mail_program_turns_that_digest_off(self):
        response = self.client.post(
            url("notifications:unsubscribe", self.token),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(response.status_code, 200)
        self.subscription.refresh_from_db()
        self.assertEqual(self.subscription.digest, Frequency.OFF)
        self.assertFalse(EmailSettings.objects.filter(user=self.member, no_email=True).exists())

    def test_the_second_button_stops_all_email(self):
        self.client.post(url("notifications:unsubscribe", self.token), {"scope": "all"})
        self.assertTrue(EmailSettings.objects.get(user=self.member).no_email)

    def test_a_meeting_email_link_turns_meeting_announcements_off(self):
        token = mail.unsubscribe_token(self.member, mail.MEETINGS, [self.workspace_a.translation_key])
        self.client.post(url("notifications:unsubscribe", token), {"scope": "this"})
        self.subscription.refresh_from_db()
        self.assertFalse(self.subscription.meetings)
        self.assertEqual(self.subscription.digest, Frequency.WEEKLY)

    def test_a_tampered_token_is_refused_with_a_translated_message(self):
        forged = signing.Signer(salt="other").sign_object({"u": self.member.pk, "k": "digest", "w": []})
        for language, text in (("fr", "Ce lien de désabonnement n’est pas valide"), ("en", "not valid")):
            response = self.client.post(
                url("notifications:unsubscribe", forged, language=language), {"scope": "all"}
            )
            self.assertContains(response, text, status_code=404)
        self.assertFalse(EmailSettings.objects.filter(user=self.member).exists())

    def test_a_token_with_another_persons_id_is_refused(self):
        payload, signature = self.token.rsplit(":", 1)
        other = mail.unsubscribe_token(self.users["member-b"], mail.DIGEST, [])
        response = self.client.post(
            url("notifications:unsubscribe", f"{other.rsplit(':', 1)[0]}:{signature}")
        )
        self.assertEqual(response.status_code, 404)


class PreferencesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world(cls)
        cls.member = cls.users["member-a"]

    def test_my_notifications_needs_a_signed_in_person(self):
        response = self.client.get(url("notifications:preferences"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(url("login"), response["Location"])

    def test_my_notifications_lists_the_members_workspaces_with_the_weekly_default(self):
        self.client.force_login(self.member)
        response = self.client.get(url("notifications:preferences"))
        self.assertContains(response, "Mes avis")
        self.assertContains(response, "CdP A")
        self.assertNotContains(response, "CdP B")
        key = self.workspace_a.translation_key.hex
        self.assertContains(response, '<option value="weekly" selected>')
        self.assertContains(response, f'name="digest_{key}"')

    def test_the_account_menu_links_to_my_notifications(self):
        self.client.force_login(self.member)
        response = self.client.get(self.page_a.url)
        self.assertContains(response, f'href="{url("notifications:preferences")}"')

    def test_saving_my_choices_changes_the_digest_and_announcements(self):
        self.client.force_login(self.member)
        key = self.workspace_a.translation_key.hex
        response = self.client.post(url("notifications:preferences"), {f"digest_{key}": "daily"})
        self.assertRedirects(response, url("notifications:preferences"))
        subscription = WorkspaceSubscription.objects.get(user=self.member)
        self.assertEqual(subscription.digest, Frequency.DAILY)
        self.assertFalse(subscription.meetings)

    def test_a_bad_choice_is_refused_with_a_message_and_nothing_is_saved(self):
        self.client.force_login(self.member)
        key = self.workspace_a.translation_key.hex
        response = self.client.post(
            url("notifications:preferences"), {f"digest_{key}": "hourly", "no_email": "on"}
        )
        self.assertContains(response, "Sélectionnez un choix valide")
        self.assertFalse(EmailSettings.objects.filter(user=self.member, no_email=True).exists())

    def test_the_page_is_in_english_for_english_readers(self):
        self.client.force_login(self.english)
        response = self.client.get(url("notifications:preferences", language="en"))
        self.assertContains(response, "My notifications")
        self.assertContains(response, "Save my choices")


class WatchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world(cls)
        cls.member = cls.users["member-a"]

    def test_a_member_sees_the_watch_button_on_a_page(self):
        self.client.force_login(self.member)
        response = self.client.get(self.page_a.url)
        self.assertContains(response, "Suivre cette page")
        self.assertContains(response, url("notifications:watch", self.page_a.pk))

    def test_pressing_the_button_watches_the_page_and_pressing_again_stops(self):
        self.client.force_login(self.member)
        response = self.client.post(url("notifications:watch", self.page_a.pk), {"next": self.page_a.url})
        self.assertRedirects(response, self.page_a.url)
        self.assertTrue(
            PageReader.objects.get(user=self.member, page_key=self.page_a.translation_key).watching
        )
        page = self.client.get(self.page_a.url)
        self.assertContains(page, "Ne plus suivre cette page")
        self.client.post(url("notifications:watch", self.page_a.pk), {"watching": "0"})
        self.assertFalse(
            PageReader.objects.get(user=self.member, page_key=self.page_a.translation_key).watching
        )
        self.assertContains(self.client.get(self.page_a.url), "Suivre cette page")

    def test_the_history_page_shows_the_same_watch_state(self):
        PageReaderFactory(user=self.member, page=self.page_a)
        self.client.force_login(self.member)
        self.assertContains(self.client.get(url("wiki:history", self.page_a.pk)), "Ne plus suivre cette page")

    def test_watching_needs_a_post(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(url("notifications:watch", self.page_a.pk)).status_code, 405)

    def test_watching_needs_the_csrf_token(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.member)
        self.assertEqual(client.post(url("notifications:watch", self.page_a.pk)).status_code, 403)
        self.assertFalse(PageReader.objects.filter(user=self.member, watching=True).exists())

    def test_a_member_of_another_workspace_cannot_watch_a_page_they_may_not_read(self):
        self.client.force_login(self.users["member-b"])
        response = self.client.post(url("notifications:watch", self.page_a.pk))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(PageReader.objects.filter(user=self.users["member-b"]).exists())

    def test_an_outside_next_address_is_not_followed(self):
        self.client.force_login(self.member)
        response = self.client.post(
            url("notifications:watch", self.page_a.pk), {"next": "https://evil.example/"}
        )
        self.assertRedirects(response, self.page_a.url)

    def test_the_my_notifications_page_lists_watched_pages(self):
        PageReaderFactory(user=self.member, page=self.page_a)
        self.client.force_login(self.member)
        self.assertContains(
            self.client.get(url("notifications:preferences")), "Plan confidentiel de la CdP A"
        )


class ReadingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_world(cls)
        cls.member = cls.users["member-a"]

    def test_opening_a_page_remembers_when_the_member_saw_it(self):
        self.client.force_login(self.member)
        before = timezone.now()
        self.client.get(self.page_a.url)
        reader = PageReader.objects.get(user=self.member, page_key=self.page_a.translation_key)
        self.assertGreaterEqual(reader.last_seen_at, before)

    def test_opening_a_changed_page_again_updates_the_time(self):
        self.client.force_login(self.member)
        self.client.get(self.page_a.url)
        PageReader.objects.filter(user=self.member).update(
            last_seen_at=timezone.now() - datetime.timedelta(days=3)
        )
        publish(self.page_a, self.users["coordinator-a"])
        self.client.get(self.page_a.url)
        reader = PageReader.objects.get(user=self.member, page_key=self.page_a.translation_key)
        self.assertGreater(reader.last_seen_at, self.page_a.last_published_at)

    def test_re_reading_an_unchanged_page_costs_no_query_on_the_reading_table(self):
        self.client.force_login(self.member)
        self.client.get(self.page_a.url)
        with CaptureQueriesContext(connection) as queries:
            self.assertContains(self.client.get(self.page_a.url), "Suivre cette page")
        self.assertEqual([q["sql"] for q in queries.captured_queries if "notifications_" in q["sql"]], [])

    def test_anonymous_visitors_and_refused_readers_leave_no_trace(self):
        self.client.get(self.page_a.url)
        self.client.force_login(self.users["member-b"])
        self.client.get(self.page_a.url)
        self.assertFalse(PageReader.objects.exists())
