"""Public pages are cached for everyone; nothing private or personal is ever cached or shared."""

from unittest import mock

from django.test import Client, TestCase, override_settings
from wagtail.contrib.frontend_cache.backends import HTTPBackend

from perf import cache
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki import access
from wiki.factories import MembershipFactory, UserFactory, WorkspacePageFactory, build_site_tree

JUNK = {"_ga": "GA1.2.3", "tracking": "x" * 40, "cop_language": "fr"}


@override_settings(PAGE_CACHE_LOCAL=True, PAGE_CACHE_SECONDS=300)
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        cls.deliverable = DeliverablePageFactory(
            parent=cls.repository, locale=cls.tree.fr, title="Guide public de la CdP"
        )
        cls.alice = UserFactory(first_name="Alice", last_name="Secrète")
        cls.bob = UserFactory(first_name="Bob", last_name="Discret")
        MembershipFactory(user=cls.alice, workspace=cls.workspace)

    def setUp(self):
        cache.store().clear()
        cache.bump()
        self.home = self.tree.home_fr.url

    def get(self, url, user=None, cookies=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        for name, value in (cookies or {}).items():
            client.cookies[name] = value
        return client.get(url)

    def test_a_public_page_is_marked_for_shared_caches(self):
        response = self.get(self.home)
        self.assertEqual(response.status_code, 200)
        self.assertIn("public", response["Cache-Control"])
        self.assertIn("s-maxage=300", response["Cache-Control"])

    def test_a_public_page_tells_nginx_how_long_to_keep_it(self):
        response = self.get(self.home)
        self.assertEqual(response["X-Accel-Expires"], "300")

    def test_a_signed_in_page_never_tells_nginx_to_keep_it(self):
        response = self.get(self.home, user=self.alice)
        self.assertNotIn("X-Accel-Expires", response)

    def test_a_public_page_is_served_again_from_the_cache_without_any_query(self):
        self.get(self.home)
        client = Client()
        with self.assertNumQueries(0):
            response = client.get(self.home)
        self.assertEqual(response["X-Page-Cache"], "hit")
        self.assertContains(response, self.tree.home_fr.title)

    def test_junk_cookies_neither_prevent_nor_vary_the_cached_copy(self):
        self.get(self.home, cookies=JUNK)
        response = self.get(self.home, cookies={"other": "junk"})
        self.assertEqual(response["X-Page-Cache"], "hit")

    def test_a_signed_in_response_is_private_and_never_stored(self):
        response = self.get(self.home, user=self.alice)
        self.assertContains(response, "Alice")
        self.assertIn("private", response["Cache-Control"])
        anonymous = self.get(self.home)
        self.assertNotContains(anonymous, "Alice")
        self.assertNotContains(anonymous, "Secrète")
        self.assertNotEqual(anonymous.get("X-Page-Cache"), "hit")

    def test_two_people_never_see_each_others_page(self):
        self.get(self.home)  # an anonymous copy is in the cache
        alice = self.get(self.home, user=self.alice, cookies=JUNK)
        bob = self.get(self.home, user=self.bob, cookies=JUNK)
        self.assertContains(alice, "Alice")
        self.assertNotContains(alice, "Bob")
        self.assertContains(bob, "Bob")
        self.assertNotContains(bob, "Alice")
        self.assertNotEqual(bob.get("X-Page-Cache"), "hit")

    def test_a_stale_or_forged_session_cookie_bypasses_the_cache(self):
        self.get(self.home)
        response = self.get(self.home, cookies={"sessionid": "not-a-real-session"})
        self.assertNotEqual(response.get("X-Page-Cache"), "hit")
        self.assertIn("private", response["Cache-Control"])

    def test_a_members_only_page_is_private_and_not_served_to_anonymous_visitors(self):
        member = self.get(self.workspace.url, user=self.alice)
        self.assertEqual(member.status_code, 200)
        self.assertIn("private", member["Cache-Control"])
        anonymous = self.get(self.workspace.url)
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("private", anonymous["Cache-Control"])

    def test_publishing_a_change_is_visible_at_once(self):
        self.get(self.home)
        home = self.tree.home_fr
        home.title = "Nouvelle page d'accueil"
        home.save_revision().publish()
        response = self.get(self.home)
        self.assertContains(response, "Nouvelle page d&#x27;accueil")
        self.assertNotEqual(response.get("X-Page-Cache"), "hit")

    def test_a_public_page_made_private_leaves_the_cache_at_once(self):
        self.assertEqual(self.get(self.deliverable.url).status_code, 200)
        self.deliverable.access_level = DeliverablePage.Access.MEMBERS
        self.deliverable.workspace_key = self.workspace.translation_key
        access.set_page_audience(self.deliverable, "workspace", self.workspace.translation_key)
        self.assertEqual(self.get(self.deliverable.url).status_code, 302)

    @override_settings(PAGE_CACHE_LOCAL=False)
    def test_without_the_local_cache_public_pages_are_still_marked_for_shared_caches(self):
        self.get(self.home)
        response = self.get(self.home)
        self.assertIsNone(response.get("X-Page-Cache"))
        self.assertIn("public", response["Cache-Control"])


@override_settings(
    PAGE_CACHE_LOCAL=False,
    FRONTEND_CACHE_URL="http://127.0.0.1:6081",
    WAGTAILFRONTENDCACHE={
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:6081",
        }
    },
)
class FrontendCachePurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        cls.deliverable = DeliverablePageFactory(parent=cls.repository, locale=cls.tree.fr)

    def test_publishing_purges_the_page_and_the_listings_that_show_it(self):
        with mock.patch.object(HTTPBackend, "purge") as purge:
            self.deliverable.title = "Titre corrigé"
            self.deliverable.save_revision().publish()
        purged = {call.args[0] for call in purge.call_args_list}
        self.assertIn(self.deliverable.full_url, purged)
        self.assertIn(self.repository.full_url, purged)
        self.assertIn(self.tree.home_fr.full_url, purged)
