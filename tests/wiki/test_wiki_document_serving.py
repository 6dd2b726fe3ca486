"""Documents are downloaded through Wagtail's own document view, whose collection check is the
one access rule (`wiki.access`): members, invited guests and anonymous visitors each get what
the rule says, at the document's one address, and a refusal is never a server error.
"""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from test_wiki_guest_access import GuestFixture, fr

from wiki.models import Invitation


class GuestDownloadTests(GuestFixture, TestCase):
    def setUp(self):
        self.invitation = self.invite_and_accept()
        self.client.force_login(self.guest)

    def test_the_guest_downloads_the_area_document_at_its_own_address(self):
        response = self.client.get(self.application.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"Demande confidentielle X\n")

    def test_the_guest_gets_the_document_with_wagtails_safe_headers(self):
        response = self.client.get(self.application.url)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'")

    def test_the_guest_cannot_download_a_document_outside_the_area(self):
        self.assertEqual(self.status(self.world.document_a.url), 403)

    def test_the_guest_cannot_download_the_area_document_after_the_last_day(self):
        Invitation.objects.filter(pk=self.invitation.pk).update(
            expires=timezone.now() - datetime.timedelta(seconds=1)
        )
        self.assertEqual(self.status(self.application.url), 403)

    def test_the_guest_cannot_download_the_area_document_once_revoked(self):
        self.client.force_login(self.coordinator)
        self.client.post(fr("wiki:revoke_invitation", self.world.workspace_a.pk, self.invitation.pk))
        self.client.force_login(self.guest)
        self.assertEqual(self.status(self.application.url), 403)

    def test_a_link_to_the_former_guest_address_still_gives_the_guest_the_file(self):
        response = self.client.get(fr("wiki:guest_document", self.application.pk, self.application.filename))
        self.assertEqual(b"".join(response.streaming_content), b"Demande confidentielle X\n")

    def test_the_former_guest_address_refuses_a_reader_of_another_workspace(self):
        self.client.force_login(self.world.users["member-b"])
        address = fr("wiki:guest_document", self.application.pk, self.application.filename)
        self.assertEqual(self.status(address), 403)


class MemberAndVisitorDownloadTests(GuestFixture, TestCase):
    def test_a_member_downloads_a_document_of_their_workspace(self):
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get(self.world.document_a.url)
        self.assertEqual(response.status_code, 200)

    def test_a_member_of_another_workspace_is_refused(self):
        self.client.force_login(self.world.users["member-b"])
        self.assertEqual(self.status(self.world.document_a.url), 403)

    def test_an_anonymous_visitor_asking_for_a_private_document_gets_the_french_login_page(self):
        response = self.client.get(self.world.document_a.url)
        with translation.override("fr"):
            login = reverse("login")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(f"{login}?next="), response["Location"])
        self.assertEqual(login, "/fr/compte/connexion/")

    def test_an_english_speaking_anonymous_visitor_gets_the_english_login_page(self):
        response = self.client.get(self.world.document_a.url, headers={"accept-language": "en"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/en/account/login/?next="), response["Location"])

    def test_wagtails_own_login_redirect_leads_to_the_login_page_instead_of_failing(self):
        # Wagtail's restriction checks (pages, documents) send refused visitors through
        # `require_wagtail_login`, which reverses "wagtailcore_login" even when
        # WAGTAIL_FRONTEND_LOGIN_URL is set: without that name it raised (a 500).
        from wagtail.wagtail_hooks import require_wagtail_login

        response = require_wagtail_login(next="/documents/1/x.pdf")
        self.assertEqual(response["Location"], "/fr/compte/connexion/?next=/documents/1/x.pdf")
