"""Private by default: only the home page, public deliverables and the account pages are open."""

from urllib.parse import parse_qs, urlsplit

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from wiki.factories import (
    PASSWORD,
    MeetingPageFactory,
    MembershipFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)


def login_url(language):
    with translation.override(language):
        return reverse("login")


class LoginRedirectAssertions:
    def assertRedirectsToLogin(self, response, path, language="fr"):
        self.assertEqual(response.status_code, 302)
        location = urlsplit(response["Location"])
        self.assertEqual(location.path, login_url(language))
        self.assertEqual(parse_qs(location.query).get("next"), [path])


class AnonymousVisitorTests(LoginRedirectAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.wiki_page = WikiPageFactory(parent=cls.workspace, locale=cls.tree.fr)
        cls.meeting = MeetingPageFactory(parent=cls.workspace, locale=cls.tree.fr)

    def test_french_home_page_is_open_to_anonymous_visitors(self):
        response = self.client.get("/fr/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.tree.home_fr.title)

    def test_english_home_page_is_open_to_anonymous_visitors(self):
        response = self.client.get("/en/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en">')

    def test_anonymous_visitor_is_sent_to_login_from_the_workspace_index(self):
        path = self.tree.workspaces_fr.url
        self.assertRedirectsToLogin(self.client.get(path), path)

    def test_anonymous_visitor_is_sent_to_login_from_a_workspace(self):
        path = self.workspace.url
        self.assertRedirectsToLogin(self.client.get(path), path)

    def test_anonymous_visitor_is_sent_to_login_from_a_wiki_page(self):
        path = self.wiki_page.url
        self.assertRedirectsToLogin(self.client.get(path), path)

    def test_anonymous_visitor_is_sent_to_login_from_a_meeting(self):
        path = self.meeting.url
        self.assertRedirectsToLogin(self.client.get(path), path)

    def test_anonymous_visitor_is_sent_to_the_english_login_from_an_english_page(self):
        path = self.tree.workspaces_en.url
        self.assertTrue(path.startswith("/en/"))
        self.assertRedirectsToLogin(self.client.get(path), path, language="en")


class AccountPagesTests(TestCase):
    def assertOpenToAnonymous(self, url_name, language, **kwargs):
        with translation.override(language):
            url = reverse(url_name, kwargs=kwargs or None)
        self.assertTrue(url.startswith(f"/{language}/"), url)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        self.assertContains(response, f'<html lang="{language}">')

    def test_french_login_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("login", "fr")

    def test_english_login_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("login", "en")

    def test_french_password_reset_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("password_reset", "fr")

    def test_english_password_reset_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("password_reset", "en")

    def test_french_password_reset_sent_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("password_reset_done", "fr")

    def test_english_password_reset_sent_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("password_reset_done", "en")

    def test_french_password_reset_complete_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("password_reset_complete", "fr")

    def test_english_password_reset_complete_page_is_open_to_anonymous_visitors(self):
        self.assertOpenToAnonymous("password_reset_complete", "en")

    def test_password_reset_link_is_open_to_anonymous_visitors(self):
        # An invalid token still renders the page (saying the link is invalid), never a login redirect.
        self.assertOpenToAnonymous("password_reset_confirm", "fr", uidb64="MQ", token="invalid-token")

    def test_password_reset_request_sends_a_mail_to_a_known_address(self):
        from django.core import mail

        user = UserFactory(email="membre@example.org")
        with translation.override("fr"):
            url = reverse("password_reset")
            done = reverse("password_reset_done")
        response = self.client.post(url, {"email": user.email})
        self.assertRedirects(response, done)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [user.email])


class LoginComesBackTests(LoginRedirectAssertions, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)

    def test_signing_in_from_a_workspace_redirect_lands_back_on_the_workspace(self):
        path = self.workspace.url
        response = self.client.get(path)
        self.assertRedirectsToLogin(response, path)

        response = self.client.post(
            login_url("fr"), {"username": self.member.username, "password": PASSWORD, "next": path}
        )
        self.assertRedirects(response, path)
        self.assertContains(self.client.get(path), self.workspace.title)

    def test_signing_in_ignores_a_next_url_on_another_host(self):
        response = self.client.post(
            login_url("fr"),
            {"username": self.member.username, "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(response["Location"].startswith("https://evil.example"))

    def test_signing_out_makes_the_workspace_private_again(self):
        self.client.force_login(self.member)
        with translation.override("fr"):
            logout = reverse("logout")
        self.client.post(logout)
        path = self.workspace.url
        self.assertRedirectsToLogin(self.client.get(path), path)
