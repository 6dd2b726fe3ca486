"""The public sitemap (`/sitemap.xml`, wiki.sitemaps): the pages anonymous visitors may read,
in both languages, as the one access rule decides, and the same document for everyone."""

from unittest import mock

from defusedxml import ElementTree as ET
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from perf import cache
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki import access
from wiki.factories import (
    UserFactory,
    WorkspacePageFactory,
    build_access_matrix,
    build_site_tree,
    publish_translation,
)
from wiki.sitemaps import PublicPagesSitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SECTION = "/sitemap-pages.xml"


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def absolute(page):
    return "http://testserver" + page.url


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = world = build_access_matrix()
        tree = world.tree
        workspace_key = world.workspace_a.translation_key
        cls.repository_fr = publish(RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr))
        cls.repository_en = publish_translation(cls.repository_fr, tree.en)
        cls.public_fr = publish(
            DeliverablePageFactory(
                parent=cls.repository_fr,
                locale=tree.fr,
                title="Guide public",
                slug="guide-public",
                workspace_key=workspace_key,
            )
        )
        cls.public_en = publish_translation(cls.public_fr, tree.en)
        cls.members_only = publish(
            DeliverablePageFactory(
                parent=cls.repository_fr,
                locale=tree.fr,
                title="Rapport interne",
                slug="rapport-interne",
                access_level=DeliverablePage.Access.MEMBERS,
                workspace_key=workspace_key,
            )
        )
        cls.draft = DeliverablePageFactory(
            parent=cls.repository_fr,
            locale=tree.fr,
            title="Brouillon jamais publié",
            slug="brouillon",
            live=False,
            workspace_key=workspace_key,
        )
        # A page type visitors may read, placed (through the tree, as a move would) below the
        # restricted workspace A: only the restriction above it keeps it out.
        cls.below_restricted = world.workspace_a.add_child(
            instance=DeliverablePage(
                title="Guide rangé dans la CdP A",
                slug="guide-cdp-a",
                locale=tree.fr,
                abstract="Un résumé.",
                deliverable_type=DeliverablePage.Type.GUIDE,
                date_issued="2026-11-22",
                workspace_key=workspace_key,
            )
        )
        publish(cls.below_restricted)
        # A live public deliverable inside a section a coordinator unpublished.
        cls.archives = publish(
            RepositoryIndexPageFactory(parent=tree.home_en, locale=tree.en, title="Archives", slug="archives")
        )
        cls.in_unpublished_section = publish(
            DeliverablePageFactory(
                parent=cls.archives,
                locale=tree.en,
                title="Archived guide",
                slug="archived-guide",
                workspace_key=workspace_key,
            )
        )
        cls.archives.unpublish()

    def entries(self, response):
        """{location: element} of a sitemap response."""
        self.assertEqual(response.status_code, 200)
        root = ET.fromstring(response.content)
        return {url.findtext("s:loc", namespaces=NS): url for url in root.findall("s:url", NS)}

    def sitemap(self):
        return self.entries(self.client.get(SECTION))

    def test_the_index_names_the_section_of_pages(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        root = ET.fromstring(response.content)
        locations = [loc.text for loc in root.findall("s:sitemap/s:loc", NS)]
        self.assertEqual(locations, ["http://testserver" + SECTION])

    def test_public_pages_of_both_languages_are_listed(self):
        listed = self.sitemap()
        for page in (
            self.world.tree.home_fr,
            self.world.tree.home_en,
            self.repository_fr,
            self.repository_en,
            self.public_fr,
            self.public_en,
        ):
            with self.subTest(page=page.url):
                self.assertIn(absolute(page), listed)

    def test_a_page_names_its_public_translation_as_an_alternate(self):
        entry = self.sitemap()[absolute(self.public_fr)]
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in entry.findall("x:link", NS)
            if link.get("rel") == "alternate"
        }
        self.assertEqual(
            alternates,
            {
                "fr": absolute(self.public_fr),
                "en": absolute(self.public_en),
                "x-default": absolute(self.public_fr),
            },
        )

    def test_every_listed_page_has_its_last_publication_date(self):
        entry = self.sitemap()[absolute(self.public_en)]
        self.assertEqual(
            entry.findtext("s:lastmod", namespaces=NS), self.public_en.last_published_at.strftime("%Y-%m-%d")
        )

    def test_a_members_only_page_is_not_listed(self):
        self.assertNotIn(absolute(self.members_only), self.sitemap())

    def test_a_restricted_workspace_and_the_pages_below_it_are_not_listed(self):
        self.assertTrue(PageViewRestriction.objects.filter(page=self.world.workspace_a).exists())
        listed = self.sitemap()
        for page in (self.world.workspace_a, self.world.page_a, self.world.meeting_a, self.below_restricted):
            with self.subTest(page=page.title):
                self.assertNotIn(absolute(page), listed)

    def test_a_member_of_the_workspace_gets_the_public_sitemap_without_its_pages(self):
        self.client.force_login(self.world.users["member-a"])
        listed = self.sitemap()
        self.assertIn(absolute(self.public_fr), listed)
        for page in (self.world.workspace_a, self.world.page_a, self.below_restricted, self.members_only):
            with self.subTest(page=page.title):
                self.assertNotIn(absolute(page), listed)

    def test_an_administrator_gets_the_public_sitemap_too(self):
        self.client.force_login(self.world.users["admin"])
        listed = self.sitemap()
        self.assertNotIn(absolute(self.members_only), listed)
        self.assertNotIn(absolute(self.world.page_a), listed)

    def test_a_page_under_an_unpublished_section_is_not_listed(self):
        self.in_unpublished_section.refresh_from_db()
        self.assertTrue(self.in_unpublished_section.live)
        self.assertNotIn(absolute(self.in_unpublished_section), self.sitemap())

    def test_a_draft_never_published_is_not_listed(self):
        self.assertNotIn(absolute(self.draft), self.sitemap())

    def test_a_page_type_never_shown_to_visitors_is_not_listed(self):
        # The workspace index is live and carries no restriction: only its type keeps it out.
        index = self.world.tree.workspaces_fr
        self.assertFalse(
            PageViewRestriction.objects.filter(page__path__in=[index.path, index.path[:8]]).exists()
        )
        self.assertNotIn(absolute(index), self.sitemap())

    def test_a_long_sitemap_is_split_into_pages_that_the_index_names(self):
        with mock.patch.object(PublicPagesSitemap, "limit", 4):
            index = ET.fromstring(self.client.get("/sitemap.xml").content)
            locations = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
            self.assertEqual(locations, [f"http://testserver{SECTION}", f"http://testserver{SECTION}?p=2"])
            first = self.entries(self.client.get(SECTION))
            second = self.entries(self.client.get(SECTION, {"p": 2}))
        self.assertEqual(len(first), 4)
        self.assertFalse(set(first) & set(second))
        self.assertEqual(set(first) | set(second), set(self.sitemap()))

    def test_a_page_names_its_translation_listed_on_another_sitemap_page(self):
        # Pages are listed in tree order: the French tree first, so the English copy of the
        # public guide falls on the second page.
        with mock.patch.object(PublicPagesSitemap, "limit", 4):
            first = self.entries(self.client.get(SECTION))
        self.assertIn(absolute(self.public_fr), first)
        self.assertNotIn(absolute(self.public_en), first)
        hrefs = [link.get("href") for link in first[absolute(self.public_fr)].findall("x:link", NS)]
        self.assertIn(absolute(self.public_en), hrefs)

    def test_a_page_number_past_the_end_is_not_found(self):
        self.assertEqual(self.client.get(SECTION, {"p": 9}).status_code, 404)

    def test_robots_txt_names_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertContains(response, "Sitemap: http://testserver/sitemap.xml")

    def test_the_sitemap_is_marked_for_shared_caches(self):
        response = self.client.get(SECTION)
        self.assertIn("public", response["Cache-Control"])

    def test_the_sitemap_is_the_same_with_and_without_a_session(self):
        anonymous = self.client.get(SECTION).content
        self.client.force_login(self.world.users["member-a"])
        self.assertIn("sessionid", self.client.cookies)
        self.assertEqual(self.client.get(SECTION).content, anonymous)

    def test_the_number_of_queries_does_not_grow_with_the_number_of_pages(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                listed = self.sitemap()
            self.captured = "\n".join(q["sql"][:300] for q in queries.captured_queries)
            return len(queries), len(listed)

        def add(n):
            for i in range(n):
                page = publish(
                    DeliverablePageFactory(
                        parent=self.repository_fr,
                        locale=self.world.tree.fr,
                        slug=f"guide-{n}-{i}",
                        workspace_key=self.world.workspace_a.translation_key,
                    )
                )
                publish_translation(page, self.world.tree.en)

        add(2)
        count()  # the site's root paths and the page types are cached after the first request
        small_queries, small_listed = count()
        add(10)
        large_queries, large_listed = count()
        self.assertEqual(large_listed, small_listed + 20)
        self.assertEqual(large_queries, small_queries, self.captured)


@override_settings(PAGE_CACHE_LOCAL=True, PAGE_CACHE_SECONDS=300)
class CachedSitemapTests(TestCase):
    """With the per-process page cache on (perf), as in a deployment without Varnish or nginx."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.repository = publish(RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr))
        cls.guide = publish(
            DeliverablePageFactory(parent=cls.repository, locale=cls.tree.fr, title="Guide", slug="guide")
        )

    def setUp(self):
        cache.store().clear()
        cache.bump()

    def listed(self):
        response = Client().get(SECTION)
        self.assertEqual(response.status_code, 200)
        root = ET.fromstring(response.content)
        return {url.findtext("s:loc", namespaces=NS) for url in root.findall("s:url", NS)}

    def test_a_second_request_is_served_from_the_cache(self):
        Client().get(SECTION)
        self.assertEqual(Client().get(SECTION)["X-Page-Cache"], "hit")

    def test_a_newly_published_public_page_is_listed_at_once(self):
        self.listed()
        other = publish(
            DeliverablePageFactory(parent=self.repository, locale=self.tree.fr, title="Autre", slug="autre")
        )
        self.assertIn(absolute(other), self.listed())

    def test_a_page_made_members_only_leaves_the_sitemap_at_once(self):
        self.assertIn(absolute(self.guide), self.listed())
        workspace = WorkspacePageFactory(parent=self.tree.workspaces_fr, locale=self.tree.fr)
        workspace_key = workspace.translation_key
        access.set_page_audience(self.guide, "workspace", workspace_key)
        self.assertNotIn(absolute(self.guide), self.listed())

    def test_a_signed_in_request_is_private_and_not_kept(self):
        client = Client()
        client.force_login(UserFactory())
        response = client.get(SECTION)
        self.assertIn("private", response["Cache-Control"])
        self.assertNotEqual(Client().get(SECTION).get("X-Page-Cache"), "hit")
