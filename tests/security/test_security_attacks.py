"""Attacks a visitor can try from a browser: open redirects, session fixation, account
enumeration, CSRF, shared-password bypass, hostile uploads, XSS through the admin."""

import json
from importlib.metadata import version
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from packaging.version import Version
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from repository.factories import DocumentFactory
from wiki.factories import (
    PASSWORD,
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
    WorkspacePageFactory,
    build_site_tree,
)
from wiki.models import WikiPage, WorkspaceAccess

XSS = '"><script>alert("xss")</script><img src=x onerror=alert(1)>'
RICH_XSS = (
    '<p>Bonjour <script>alert("xss")</script><img src="x" onerror="alert(1)"/>'
    '<a href="javascript:alert(1)">lien</a> &lt;script&gt;alert("texte")&lt;/script&gt;</p>'
)


def login_url(language="fr"):
    with translation.override(language):
        return reverse("login")


class VersionFloorTests(TestCase):
    def test_installed_wagtail_is_at_least_the_release_with_known_advisories_fixed(self):
        self.assertGreaterEqual(Version(version("wagtail")), Version("8.0.1"))

    def test_installed_django_is_at_least_the_release_with_known_advisories_fixed(self):
        self.assertGreaterEqual(Version(version("django")), Version("5.2.19"))


class OpenRedirectTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.user = UserFactory()

    def login(self, next_url):
        return self.client.post(
            login_url(), {"username": self.user.username, "password": PASSWORD, "next": next_url}
        )

    def test_login_does_not_redirect_to_another_site(self):
        response = self.login("https://evil.example/phish")
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("evil.example", response["Location"])

    def test_login_does_not_redirect_to_a_protocol_relative_address(self):
        response = self.login("//evil.example/phish")
        self.assertNotIn("evil.example", response["Location"])

    def test_login_does_not_redirect_to_a_backslash_trick_address(self):
        response = self.login("/\\evil.example/phish")
        self.assertNotIn("evil.example", response["Location"])

    def test_login_does_not_follow_a_javascript_address(self):
        response = self.login("javascript:alert(1)")
        self.assertFalse(response["Location"].startswith("javascript:"))

    def test_login_follows_a_local_next_address(self):
        response = self.login("/fr/espaces/")
        self.assertEqual(response["Location"], "/fr/espaces/")

    def test_logout_does_not_redirect_to_another_site(self):
        self.client.force_login(self.user)
        with translation.override("fr"):
            response = self.client.post(reverse("logout"), {"next": "https://evil.example/"})
        self.assertNotIn("evil.example", response.get("Location", ""))

    def test_admin_login_does_not_redirect_to_another_site(self):
        admin = SuperuserFactory()
        response = self.client.post(
            "/admin/login/",
            {"username": admin.username, "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("evil.example", response["Location"])


class SessionFixationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.user = UserFactory()

    def test_session_key_changes_at_login(self):
        self.client.get(login_url())
        session = self.client.session
        session["planted"] = "by an attacker"
        session.save()
        planted_key = session.session_key
        self.client.cookies[settings.SESSION_COOKIE_NAME] = planted_key
        self.client.post(login_url(), {"username": self.user.username, "password": PASSWORD})
        new_key = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.assertNotEqual(new_key, planted_key)

    def test_planted_session_key_is_not_signed_in_after_the_victim_logs_in(self):
        self.client.get(login_url())
        session = self.client.session
        session.save()
        planted_key = session.session_key
        self.client.cookies[settings.SESSION_COOKIE_NAME] = planted_key
        self.client.post(login_url(), {"username": self.user.username, "password": PASSWORD})
        attacker = Client()
        attacker.cookies[settings.SESSION_COOKIE_NAME] = planted_key
        response = attacker.get("/fr/espaces/")
        self.assertEqual(urlsplit(response["Location"]).path, login_url())


class EnumerationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.user = UserFactory(username="known-person", email="known@example.org")

    def attempt(self, username):
        return self.client.post(login_url(), {"username": username, "password": "not-the-password-1"})

    def test_login_answers_an_unknown_name_exactly_as_a_wrong_password(self):
        unknown, known = self.attempt("nobody-here"), self.attempt("known-person")
        self.assertEqual(unknown.status_code, known.status_code)
        self.assertEqual(
            [t.name for t in unknown.templates if t.name], [t.name for t in known.templates if t.name]
        )
        self.assertEqual(unknown.context["form"].errors, known.context["form"].errors)

    def reset(self, email):
        with translation.override("fr"):
            return self.client.post(reverse("password_reset"), {"email": email})

    def test_password_reset_answers_an_unknown_address_exactly_as_a_known_one(self):
        unknown, known = self.reset("nobody@example.org"), self.reset("known@example.org")
        self.assertEqual((unknown.status_code, unknown["Location"]), (known.status_code, known["Location"]))

    def test_password_reset_mails_only_the_known_address(self):
        self.reset("nobody@example.org")
        self.reset("known@example.org")
        self.assertEqual([m.to for m in mail.outbox], [["known@example.org"]])


class PasswordChangeEndsOtherSessionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.user = UserFactory()

    def test_changing_the_password_signs_out_every_other_session(self):
        other_device = Client()
        other_device.force_login(self.user)
        self.assertEqual(other_device.get("/fr/espaces/").status_code, 200)
        user = get_user_model().objects.get(pk=self.user.pk)
        user.set_password("a-brand-new-passphrase-42")
        user.save()
        response = other_device.get("/fr/espaces/")
        self.assertEqual(urlsplit(response["Location"]).path, login_url())

    def test_changing_the_password_in_the_admin_keeps_the_current_session(self):
        admin = SuperuserFactory()
        device, other_device = Client(), Client()
        device.force_login(admin)
        other_device.force_login(admin)
        response = device.post(
            "/admin/account/",
            {
                "password-old_password": PASSWORD,
                "password-new_password1": "a-brand-new-passphrase-42",
                "password-new_password2": "a-brand-new-passphrase-42",
                "name_email-first_name": admin.first_name,
                "name_email-last_name": admin.last_name,
                "name_email-email": admin.email,
                "locale-preferred_language": "fr",
                "locale-current_time_zone": "America/Montreal",
                "theme-theme": "system",
                "theme-density": "default",
                "theme-contrast": "system",
                "theme-keyboard_shortcuts": "true",
            },
        )
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context.get("panels")
        )
        self.assertEqual(device.get("/admin/").status_code, 200)
        self.assertEqual(urlsplit(other_device.get("/admin/")["Location"]).path, "/admin/login/")


class CsrfTests(TestCase):
    """Every state-changing form refuses a POST without the CSRF token."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.user = UserFactory()
        cls.admin = SuperuserFactory()

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def test_public_forms_refuse_a_post_without_token(self):
        paths = [login_url("fr"), login_url("en")]
        with translation.override("fr"):
            paths += [reverse("password_reset"), reverse("logout")]
        for path in paths:
            with self.subTest(path=path):
                response = self.client.post(path, {"username": self.user.username, "password": PASSWORD})
                self.assertEqual(response.status_code, 403)

    def test_signed_in_logout_refuses_a_post_without_token(self):
        self.client.force_login(self.user)
        with translation.override("fr"):
            self.assertEqual(self.client.post(reverse("logout")).status_code, 403)
        self.assertEqual(self.client.get("/fr/espaces/").status_code, 200)

    def test_admin_forms_refuse_a_post_without_token(self):
        self.client.force_login(self.admin)
        workspace_index = self.tree.workspaces_fr
        paths = [
            f"/admin/pages/{workspace_index.pk}/edit/",
            f"/admin/pages/{workspace_index.pk}/delete/",
            "/admin/documents/multiple/add/",
            "/admin/users/add/",
            "/admin/groups/add/",
            "/admin/account/",
        ]
        for path in paths:
            with self.subTest(path=path):
                self.assertEqual(self.client.post(path, {"title": "x"}).status_code, 403)


class SharedPasswordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        workspace = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr)
        cls.access = WorkspaceAccess.objects.get(workspace_key=workspace.translation_key)
        cls.document = DocumentFactory(collection=cls.access.collection)
        cls.outsider = UserFactory()

    def test_posting_the_password_form_never_opens_a_members_only_document(self):
        from wagtail.models import CollectionViewRestriction

        restriction = CollectionViewRestriction.objects.get(collection=self.access.collection)
        self.client.force_login(self.outsider)
        for password in ("", "x", "None"):
            self.client.post(
                reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk]),
                {"password": password, "return_url": self.document.url},
            )
        self.assertEqual(self.client.get(self.document.url).status_code, 403)


class UploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.admin = SuperuserFactory()

    def setUp(self):
        self.client.force_login(self.admin)

    def upload(self, name, content, content_type):
        return self.client.post(
            "/admin/documents/multiple/add/",
            {"files[]": SimpleUploadedFile(name, content, content_type=content_type)},
            headers={"x-requested-with": "XMLHttpRequest"},
        )

    def test_html_upload_is_refused(self):
        response = self.upload("page.html", b"<script>alert(1)</script>", "text/html")
        self.assertFalse(json.loads(response.content)["success"])
        self.assertFalse(get_document_model().objects.exists())

    def test_svg_upload_is_refused(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
        response = self.upload("image.svg", svg, "image/svg+xml")
        self.assertFalse(json.loads(response.content)["success"])
        self.assertFalse(get_document_model().objects.exists())

    def test_path_traversal_in_a_file_name_stays_inside_the_media_folder(self):
        response = self.upload("../../../../etc/evil.txt", b"x", "text/plain")
        self.assertTrue(json.loads(response.content)["success"])
        document = get_document_model().objects.get()
        stored = (settings.MEDIA_ROOT / document.file.name).resolve()
        self.assertTrue(stored.is_relative_to(settings.MEDIA_ROOT.resolve()))
        self.assertNotIn("..", document.file.name)

    def test_odd_unicode_in_a_file_name_is_stored_and_served_as_an_attachment(self):
        name = "rapport\u202etxt.exe\u0000 été ✓.txt"
        response = self.upload(name, b"contenu", "text/plain")
        self.assertTrue(json.loads(response.content)["success"])
        document = get_document_model().objects.get()
        self.assertNotIn("\u0000", document.file.name)
        served = self.client.get(document.url)
        self.assertEqual(served.status_code, 200)
        self.assertIn("attachment", served["Content-Disposition"])

    def test_served_documents_carry_a_restrictive_content_security_policy(self):
        document = DocumentFactory()
        response = self.client.get(document.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("default-src 'none'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_oversized_request_body_is_refused_not_crashed_on(self):
        response = Client().post(login_url(), {"username": "x" * 5000, "password": "y"})
        self.assertEqual(response.status_code, 400)


class AdminXssTests(TestCase):
    """Payloads typed into the admin come out as text, never as markup."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.admin = SuperuserFactory()
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)

    def setUp(self):
        self.client.force_login(self.admin)

    def assertInert(self, html):
        """No payload became markup: no inline script, no event handler, no javascript: link."""
        soup = BeautifulSoup(html, "html.parser")
        self.assertEqual([s for s in soup.find_all("script") if s.string and "alert" in s.string], [])
        for element in soup.find_all(True):
            handlers = [name for name in element.attrs if name.lower().startswith("on")]
            self.assertEqual(handlers, [], str(element)[:200])
            for name in ("href", "src", "action", "formaction"):
                value = str(element.get(name, "")).strip().lower()
                self.assertFalse(value.startswith("javascript:"), str(element)[:200])

    def test_wiki_page_written_with_payloads_is_shown_as_text(self):
        data = nested_form_data(
            {
                "title": "Titre " + XSS,
                "slug": "page-xss",
                "body": streamfield(
                    [
                        ("heading", XSS),
                        (
                            "paragraph",
                            rich_text(RICH_XSS),
                        ),
                        ("quote", XSS),
                    ]
                ),
                "tags": "",
                "action-publish": "publish",
            }
        )
        response = self.client.post(f"/admin/pages/add/wiki/wikipage/{self.workspace.pk}/", data)
        self.assertEqual(response.status_code, 302)
        page = WikiPage.objects.get(slug="page-xss")
        self.client.force_login(self.member)
        shown = self.client.get(page.url)
        self.assertEqual(shown.status_code, 200)
        self.assertInert(shown.content.decode())
        self.assertContains(shown, "&lt;script&gt;alert(")

    def test_rich_text_with_a_crafted_javascript_link_is_neutralised_on_save(self):
        contentstate = {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "cliquez ici",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 11, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}
            },
        }
        data = nested_form_data(
            {
                "title": "Lien piégé",
                "slug": "lien-piege",
                "body": streamfield([("paragraph", json.dumps(contentstate))]),
                "tags": "",
                "action-publish": "publish",
            }
        )
        self.assertEqual(
            self.client.post(f"/admin/pages/add/wiki/wikipage/{self.workspace.pk}/", data).status_code, 302
        )
        page = WikiPage.objects.get(slug="lien-piege")
        self.assertNotIn("javascript:", json.dumps(list(page.body.raw_data)))
        self.client.force_login(self.member)
        self.assertInert(self.client.get(page.url).content.decode())
