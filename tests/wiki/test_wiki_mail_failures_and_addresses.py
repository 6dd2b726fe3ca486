"""A mail server that fails loses no invitation, decision or request, and says so; the wiki's
addresses are French under /fr/ and English under /en/; a comparison of revisions nobody
signed (system or scale data) still shows."""

import smtplib
from unittest import mock

from django.core import mail
from django.test import TestCase
from django.urls import resolve, reverse
from django.utils import translation

from wiki.factories import build_access_matrix
from wiki.models import Invitation, JoinRequest, Membership, WorkspacePage

SMTP_DOWN = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def mail_server_down():
    return mock.patch("wiki.views.workspace.send_mail", side_effect=SMTP_DOWN)


class MailFailureTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.workspace = cls.world.workspace_a
        cls.coordinator = cls.world.users["coordinator-a"]
        cls.partner = cls.world.users["partner"]

    def url(self, name, *args, language="fr"):
        with translation.override(language):
            return reverse(f"wiki:{name}", args=[self.workspace.pk, *args])

    def invite(self, language="fr"):
        self.client.force_login(self.coordinator)
        with mail_server_down():
            return self.client.post(
                self.url("invite", language=language),
                {"invite-email": "invitee@example.org", "invite-role": "participant"},
                follow=True,
            )

    def test_an_invitation_whose_email_fails_is_kept(self):
        response = self.invite()
        self.assertEqual(response.status_code, 200)
        self.assertTrue(Invitation.objects.filter(email="invitee@example.org").exists())

    def test_the_coordinator_is_told_in_french_and_given_the_link_to_send(self):
        response = self.invite()
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("n'a pas pu être envoyé", text)
        self.assertIn("/wiki/invitation/", text)

    def test_the_coordinator_is_told_in_english_when_working_in_english(self):
        response = self.invite(language="en")
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("could not be sent", text)

    def test_an_accepted_request_whose_email_fails_still_makes_a_member(self):
        WorkspacePage.objects.filter(pk=self.workspace.pk).update(membership_policy=WorkspacePage.Policy.OPEN)
        self.client.force_login(self.partner)
        with mail_server_down():
            self.client.post(self.url("join"))
        join_request = JoinRequest.objects.get(user=self.partner)
        self.client.force_login(self.coordinator)
        with mail_server_down():
            response = self.client.post(self.url("decide_request", join_request.pk, "accept"), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            Membership.objects.current()
            .filter(user=self.partner, workspace_key=self.workspace.translation_key)
            .exists()
        )
        self.assertIn("dites-le", " ".join(str(m) for m in response.context["messages"]))

    def test_a_join_request_whose_email_fails_is_kept_for_the_coordinators(self):
        WorkspacePage.objects.filter(pk=self.workspace.pk).update(membership_policy=WorkspacePage.Policy.OPEN)
        self.client.force_login(self.partner)
        with mail_server_down():
            response = self.client.post(self.url("join"))
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.coordinator)
        members_page = self.client.get(self.url("members"))
        self.assertContains(members_page, self.partner.get_full_name())

    def test_a_working_mail_server_still_gets_the_invitation(self):
        self.client.force_login(self.coordinator)
        self.client.post(
            self.url("invite"), {"invite-email": "invitee@example.org", "invite-role": "participant"}
        )
        self.assertEqual(mail.outbox[-1].to, ["invitee@example.org"])


class TranslatedAddressTests(TestCase):
    CASES = [
        ("members", [7], "/fr/wiki/7/membres/", "/en/wiki/7/members/"),
        ("join", [7], "/fr/wiki/7/adherer/", "/en/wiki/7/join/"),
        ("leave", [7], "/fr/wiki/7/quitter/", "/en/wiki/7/leave/"),
        ("invite", [7], "/fr/wiki/7/inviter/", "/en/wiki/7/invite/"),
        ("calendar", [7], "/fr/wiki/7/calendrier/", "/en/wiki/7/calendar/"),
        ("create_page", [7], "/fr/wiki/7/nouvelle-page/", "/en/wiki/7/new-page/"),
        ("history", [9], "/fr/wiki/pages/9/historique/", "/en/wiki/pages/9/history/"),
        ("compare", [9, 1, 2], "/fr/wiki/pages/9/comparer/1/2/", "/en/wiki/pages/9/compare/1/2/"),
    ]

    def test_wiki_addresses_are_french_in_french_and_english_in_english(self):
        for name, args, french, english in self.CASES:
            with self.subTest(name=name):
                with translation.override("fr"):
                    self.assertEqual(reverse(f"wiki:{name}", args=args), french)
                with translation.override("en"):
                    self.assertEqual(reverse(f"wiki:{name}", args=args), english)

    def test_each_french_address_leads_to_its_view(self):
        for name, _args, french, _english in self.CASES:
            with self.subTest(name=name), translation.override("fr"):
                self.assertEqual(resolve(french).url_name, name)


class UnsignedRevisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        page = cls.world.page_a
        page.body = [("paragraph", "<p>Texte importé.</p>")]
        cls.old = page.save_revision()  # no user: imported or generated content
        cls.old.publish()
        page.body = [("paragraph", "<p>Texte révisé.</p>")]
        cls.new = page.save_revision()
        cls.new.publish()

    def test_comparing_revisions_nobody_signed_shows_the_changes_and_an_unknown_author(self):
        self.client.force_login(self.world.users["member-a"])
        with translation.override("fr"):
            url = reverse("wiki:compare", args=[self.world.page_a.pk, self.old.pk, self.new.pk])
        response = self.client.get(url)
        self.assertContains(response, "(inconnu)", count=2)
        self.assertContains(response, "Texte révisé.")

    def test_the_history_lists_revisions_nobody_signed(self):
        self.client.force_login(self.world.users["member-a"])
        with translation.override("fr"):
            response = self.client.get(reverse("wiki:history", args=[self.world.page_a.pk]))
        self.assertContains(response, "inconnu")
