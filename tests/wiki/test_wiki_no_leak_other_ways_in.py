"""The must-show cells not covered elsewhere: member-b reaches nothing of workspace A through
the admin's own API (what the explorer and choosers read), the site's comparison of revisions,
the public feeds (Atom, OAI-PMH), the sitemap, the unused public API addresses, or the
workspace's members' calendar."""

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from wiki.factories import build_access_matrix


class MemberBOtherWaysInTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        page = cls.world.page_a
        page.body = [("paragraph", "<p>Première version.</p>")]
        cls.old = page.save_revision()
        cls.old.publish()
        page.body = [("paragraph", "<p>Seconde version.</p>")]
        cls.new = page.save_revision()
        cls.new.publish()
        cls.secrets = [page.title, cls.world.meeting_a.title]

    def setUp(self):
        self.client.force_login(self.world.users["member-b"])

    def assertNoTraceOfA(self, response):
        for secret in self.secrets:
            self.assertNotContains(response, secret, status_code=response.status_code)

    def test_the_admin_api_lists_no_page_of_a(self):
        response = self.client.get("/admin/api/main/pages/", {"child_of": self.world.workspace_a.pk})
        self.assertNoTraceOfA(response)

    def test_the_admin_api_gives_no_detail_of_a_page_of_a(self):
        response = self.client.get(f"/admin/api/main/pages/{self.world.page_a.pk}/")
        self.assertNotEqual(response.status_code, 200)
        self.assertNoTraceOfA(response)

    def test_the_admin_api_search_finds_nothing_of_a(self):
        response = self.client.get("/admin/api/main/pages/", {"search": "confidentiel"})
        self.assertNoTraceOfA(response)

    def test_the_site_comparison_of_two_revisions_of_a_is_refused(self):
        with translation.override("fr"):
            url = reverse("wiki:compare", args=[self.world.page_a.pk, self.old.pk, self.new.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "Seconde version.", status_code=403)

    def test_the_atom_feed_lists_nothing_of_a(self):
        with translation.override("fr"):
            response = self.client.get(reverse("repository_feed"))
        self.assertNoTraceOfA(response)

    def test_oai_pmh_lists_nothing_of_a(self):
        response = self.client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        self.assertNoTraceOfA(response)

    def test_the_sitemap_lists_nothing_of_a(self):
        for address in ("/sitemap.xml", "/sitemap-pages.xml"):
            with self.subTest(address=address):
                response = self.client.get(address)
                self.assertEqual(response.status_code, 200)
                self.assertNoTraceOfA(response)
                self.assertNotContains(response, self.world.page_a.slug)

    def test_there_is_no_public_api_to_list_pages(self):
        for address in ("/fr/sitemap.xml", "/api/v2/pages/", "/fr/api/v2/pages/"):
            with self.subTest(address=address):
                # Addresses without a language are first sent to the French one.
                response = self.client.get(address, follow=True)
                self.assertEqual(response.status_code, 404)
                self.assertNoTraceOfA(response)

    def test_the_wagtail_preview_of_a_revision_of_a_is_refused(self):
        url = reverse("wagtailadmin_pages:revisions_view", args=[self.world.page_a.pk, self.old.pk])
        response = self.client.get(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, "Première version.", status_code=response.status_code)

    def test_the_revisions_compare_view_of_the_admin_is_refused(self):
        url = reverse(
            "wagtailadmin_pages:revisions_compare", args=[self.world.page_a.pk, self.old.pk, self.new.pk]
        )
        response = self.client.get(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, "Seconde version.", status_code=response.status_code)
