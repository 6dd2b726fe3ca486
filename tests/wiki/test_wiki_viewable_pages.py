"""`wiki.access.viewable_pages`: exactly the pages each reader may see, in a constant number of queries."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki import access
from wiki.factories import (
    MeetingPageFactory,
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)


def fresh(user):
    """The same account as a new request would load it (no cached groups)."""
    return type(user).objects.get(pk=user.pk)


class ViewablePagesMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        cls.tree = tree
        cls.workspace_a = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr, title="CdP A")
        cls.page_a = WikiPageFactory(parent=cls.workspace_a, locale=tree.fr)
        cls.subpage_a = WikiPageFactory(parent=cls.page_a, locale=tree.fr)
        cls.meeting_a = MeetingPageFactory(parent=cls.workspace_a, locale=tree.fr)
        cls.draft_a = WikiPageFactory(parent=cls.workspace_a, locale=tree.fr, live=False)
        cls.workspace_b = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr, title="CdP B")
        cls.page_b = WikiPageFactory(parent=cls.workspace_b, locale=tree.fr)

        cls.repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.public = DeliverablePageFactory(parent=cls.repository, locale=tree.fr)
        cls.partners = DeliverablePageFactory(
            parent=cls.repository, locale=tree.fr, access_level=DeliverablePage.Access.PARTNERS
        )
        cls.members_a = DeliverablePageFactory(
            parent=cls.repository,
            locale=tree.fr,
            access_level=DeliverablePage.Access.MEMBERS,
            workspace_key=cls.workspace_a.translation_key,
        )
        cls.public_draft = DeliverablePageFactory(parent=cls.repository, locale=tree.fr, live=False)

        cls.member_a = UserFactory()
        MembershipFactory(user=cls.member_a, workspace=cls.workspace_a)
        cls.outsider = UserFactory()
        cls.former_member = UserFactory()
        MembershipFactory(user=cls.former_member, workspace=cls.workspace_a).delete()
        cls.superuser = SuperuserFactory()

    def viewable(self, user):
        pages = access.viewable_pages(user, Page.objects.filter(depth__gt=1))
        return set(pages.values_list("pk", flat=True))

    def ids(self, *pages):
        return {page.pk for page in pages}

    def open_to_everyone(self):
        return self.ids(self.tree.home_fr, self.tree.home_en, self.repository, self.public)

    def open_to_signed_in(self):
        return self.open_to_everyone() | self.ids(
            self.tree.workspaces_fr, self.tree.workspaces_en, self.partners
        )

    def test_anonymous_visitor_sees_only_homes_repository_and_public_deliverables(self):
        self.assertEqual(self.viewable(AnonymousUser()), self.open_to_everyone())

    def test_person_without_membership_also_sees_the_workspace_index_and_partner_deliverables(self):
        self.assertEqual(self.viewable(fresh(self.outsider)), self.open_to_signed_in())

    def test_former_member_sees_no_more_than_a_person_without_membership(self):
        self.assertEqual(self.viewable(fresh(self.former_member)), self.open_to_signed_in())

    def test_member_also_sees_every_live_page_of_their_workspace_and_its_deliverables(self):
        expected = self.open_to_signed_in() | self.ids(
            self.workspace_a, self.page_a, self.subpage_a, self.meeting_a, self.members_a
        )
        self.assertEqual(self.viewable(fresh(self.member_a)), expected)

    def test_inactive_member_sees_only_what_anonymous_visitors_see(self):
        inactive = fresh(self.member_a)
        inactive.is_active = False
        self.assertEqual(self.viewable(inactive), self.open_to_everyone())

    def test_superuser_sees_every_live_page(self):
        everything = set(Page.objects.filter(depth__gt=1, live=True).values_list("pk", flat=True))
        self.assertEqual(self.viewable(fresh(self.superuser)), everything)
        self.assertNotIn(self.draft_a.pk, everything)
        self.assertIn(self.page_b.pk, everything)

    def test_viewable_pages_keeps_the_filters_of_the_queryset_it_is_given(self):
        pages = access.viewable_pages(fresh(self.member_a), DeliverablePage.objects.all())
        self.assertEqual(
            set(pages.values_list("pk", flat=True)), self.ids(self.public, self.partners, self.members_a)
        )

    def test_can_view_page_agrees_with_viewable_pages_for_every_reader_and_page(self):
        readers = [AnonymousUser(), self.outsider, self.former_member, self.member_a, self.superuser]
        pages = Page.objects.filter(depth__gt=1).specific()
        for reader in readers:
            reader = reader if isinstance(reader, AnonymousUser) else fresh(reader)
            viewable = self.viewable(reader)
            for page in pages:
                with self.subTest(reader=str(reader), page=page.title):
                    self.assertEqual(access.can_view_page(reader, page), page.pk in viewable)


class ViewablePagesQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.member = UserFactory()
        cls.outsider = UserFactory()

    def add_workspaces(self, count):
        for _ in range(count):
            workspace = WorkspacePageFactory(parent=self.tree.workspaces_fr, locale=self.tree.fr)
            WikiPageFactory(parent=workspace, locale=self.tree.fr)
            MembershipFactory(user=self.member, workspace=workspace)

    def queries_to_list_pages(self, user):
        access.viewable_pages(AnonymousUser(), Page.objects.all()).count()  # warm the content-type cache
        with CaptureQueriesContext(connection) as queries:
            pages = list(access.viewable_pages(user, Page.objects.all()))
        return len(queries), len(pages)

    def assertQueryCountDoesNotGrow(self, user_factory):
        self.add_workspaces(3)
        few_queries, few_pages = self.queries_to_list_pages(user_factory())
        self.add_workspaces(9)
        many_queries, many_pages = self.queries_to_list_pages(user_factory())
        self.assertEqual(few_queries, many_queries)
        return few_pages, many_pages

    def test_member_of_every_workspace_lists_pages_in_the_same_number_of_queries_for_3_or_12(self):
        few_pages, many_pages = self.assertQueryCountDoesNotGrow(lambda: fresh(self.member))
        self.assertEqual(many_pages - few_pages, 9 * 2)

    def test_person_without_membership_lists_pages_in_the_same_number_of_queries_for_3_or_12(self):
        few_pages, many_pages = self.assertQueryCountDoesNotGrow(lambda: fresh(self.outsider))
        self.assertEqual(few_pages, many_pages)

    def test_anonymous_visitor_lists_pages_in_the_same_number_of_queries_for_3_or_12(self):
        few_pages, many_pages = self.assertQueryCountDoesNotGrow(AnonymousUser)
        self.assertEqual(few_pages, many_pages)
