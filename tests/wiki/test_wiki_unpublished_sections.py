"""The one access rule shows only what can be read right now: the live pages of a section a
coordinator unpublished (a workspace, a page with subpages, the repository) are nobody's to
read until the section is published again — in `viewable_pages`, `viewable_page_condition`,
`can_view_page`, `reader_rule`, page serving, the feed and OAI-PMH alike."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page

from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from search.models import SearchEntry
from wiki import access
from wiki.factories import (
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)


def fresh(user):
    """The same account as a new request would load it (no answers kept from before)."""
    return type(user).objects.get(pk=user.pk)


def publish(page):
    page.refresh_from_db()
    page.save_revision().publish()


class UnpublishedSectionRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        cls.tree = tree
        cls.workspace = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr, title="CdP A")
        cls.section = WikiPageFactory(parent=cls.workspace, locale=tree.fr, title="Section")
        cls.child = WikiPageFactory(parent=cls.section, locale=tree.fr, title="Sous-page")
        cls.grandchild = WikiPageFactory(parent=cls.child, locale=tree.fr, title="Sous-sous-page")
        cls.sibling = WikiPageFactory(parent=cls.workspace, locale=tree.fr, title="Voisine")
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)
        access.sync_workspace(cls.workspace.translation_key)
        cls.admin = SuperuserFactory()

    def viewable(self, user):
        return set(access.viewable_pages(user, Page.objects.all()).values_list("pk", flat=True))

    def through_condition(self, user):
        """The pages whose search entries `viewable_page_condition` keeps."""
        entries = SearchEntry.objects.filter(page__isnull=False).filter(access.viewable_page_condition(user))
        return set(entries.values_list("page_id", flat=True))

    def test_members_read_the_live_pages_of_a_published_section(self):
        self.assertLessEqual({self.child.pk, self.grandchild.pk}, self.viewable(fresh(self.member)))

    def test_unpublishing_a_section_removes_its_live_pages_from_viewable_pages(self):
        self.section.unpublish()
        for user in (fresh(self.member), fresh(self.admin)):
            with self.subTest(user=user.username):
                viewable = self.viewable(user)
                self.assertNotIn(self.child.pk, viewable)
                self.assertNotIn(self.grandchild.pk, viewable)
                self.assertIn(self.sibling.pk, viewable)

    def test_can_view_page_refuses_the_live_pages_of_an_unpublished_section(self):
        self.section.unpublish()
        for user in (fresh(self.member), fresh(self.admin)):
            for page in (self.child, self.grandchild):
                with self.subTest(user=user.username, page=page.title):
                    self.assertFalse(access.can_view_page(user, Page.objects.get(pk=page.pk)))
            self.assertTrue(access.can_view_page(user, Page.objects.get(pk=self.sibling.pk)))

    def test_viewable_page_condition_removes_the_live_pages_of_an_unpublished_section(self):
        self.assertIn(self.grandchild.pk, self.through_condition(fresh(self.member)))
        self.section.unpublish()
        for user in (fresh(self.member), fresh(self.admin)):
            with self.subTest(user=user.username):
                kept = self.through_condition(user)
                self.assertNotIn(self.child.pk, kept)
                self.assertNotIn(self.grandchild.pk, kept)
                self.assertIn(self.sibling.pk, kept)

    def test_the_rule_as_data_agrees_with_viewable_pages_under_an_unpublished_section(self):
        self.section.unpublish()
        for user in (AnonymousUser(), fresh(self.member), fresh(self.admin)):
            rule = access.reader_rule(user)
            viewable = self.viewable(user)
            for page in Page.objects.filter(live=True, depth__gt=1):
                with self.subTest(user=str(user), page=page.title):
                    self.assertEqual(rule.allows(page.path, page.content_type_id), page.pk in viewable)

    def test_every_form_of_the_rule_agrees_for_every_page(self):
        self.section.unpublish()
        for user in (AnonymousUser(), fresh(self.member), fresh(self.admin)):
            viewable = self.viewable(user)
            kept = self.through_condition(user)
            for page in Page.objects.filter(depth__gt=1).specific():
                with self.subTest(user=str(user), page=page.title):
                    self.assertEqual(access.can_view_page(user, page), page.pk in viewable)
                    if SearchEntry.objects.filter(page=page).exists():
                        self.assertEqual(page.pk in kept, page.pk in viewable)

    def test_publishing_the_section_again_makes_its_pages_readable_at_once(self):
        self.section.unpublish()
        self.assertNotIn(self.grandchild.pk, self.viewable(fresh(self.member)))
        publish(self.section)
        member = fresh(self.member)
        self.assertIn(self.grandchild.pk, self.viewable(member))
        self.assertIn(self.grandchild.pk, self.through_condition(member))
        self.assertTrue(access.can_view_page(member, Page.objects.get(pk=self.grandchild.pk)))

    def test_the_page_of_an_unpublished_section_is_not_served_to_its_members(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.grandchild.url).status_code, 200)
        self.section.unpublish()
        self.assertNotEqual(self.client.get(self.grandchild.url).status_code, 200)
        self.assertEqual(self.client.get(self.sibling.url).status_code, 200)

    def test_the_page_of_an_unpublished_section_is_not_served_to_administrators(self):
        self.section.unpublish()
        self.client.force_login(self.admin)
        response = self.client.get(self.child.url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Sous-page", response.content.decode())

    def test_an_unpublished_workspace_hides_every_page_in_it(self):
        self.workspace.unpublish()
        member = fresh(self.member)
        viewable = self.viewable(member)
        for page in (self.section, self.child, self.grandchild, self.sibling):
            with self.subTest(page=page.title):
                self.assertNotIn(page.pk, viewable)
        self.assertIn(self.tree.workspaces_fr.pk, viewable)

    def test_listing_costs_the_same_number_of_queries_with_unpublished_sections(self):
        def count():
            user = fresh(self.member)
            access.viewable_pages(user, Page.objects.all()).count()  # the reader's groups
            with CaptureQueriesContext(connection) as queries:
                list(access.viewable_pages(user, Page.objects.all()))
            return len(queries)

        before = count()
        self.section.unpublish()
        self.sibling.unpublish()
        self.assertEqual(count(), before)


class UnpublishedRepositoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        cls.repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.deliverable = DeliverablePageFactory(
            parent=cls.repository, locale=tree.fr, title="Guide des pratiques exemplaires"
        )
        publish(cls.deliverable)

    def feed(self):
        return self.client.get(reverse("repository_feed")).content.decode()

    def oai_records(self):
        return self.client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content.decode()

    def test_the_feed_lists_a_public_deliverable_of_the_published_repository(self):
        self.assertIn("Guide des pratiques exemplaires", self.feed())

    def test_unpublishing_the_repository_removes_its_deliverables_from_the_feed(self):
        self.repository.unpublish()
        self.assertNotIn("Guide des pratiques exemplaires", self.feed())

    def test_oai_disseminates_a_public_deliverable_of_the_published_repository(self):
        self.assertIn("Guide des pratiques exemplaires", self.oai_records())

    def test_unpublishing_the_repository_stops_oai_disseminating_its_deliverables(self):
        self.repository.unpublish()
        self.assertNotIn("Guide des pratiques exemplaires", self.oai_records())

    def test_publishing_the_repository_again_puts_its_deliverables_back_in_the_feed(self):
        self.repository.unpublish()
        publish(self.repository)
        self.assertIn("Guide des pratiques exemplaires", self.feed())
