"""Where each wiki page type may be created, and that each one renders for a reader allowed to see it."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from repository.models import DeliverablePage, RepositoryIndexPage
from wiki.factories import (
    MeetingPageFactory,
    MembershipFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)
from wiki.models import HomePage, MeetingPage, WikiPage, WorkspaceIndexPage, WorkspacePage


class WikiPageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_can_be_created_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_holds_the_workspace_index_and_the_repository(self):
        self.assertAllowedSubpageTypes(HomePage, {WorkspaceIndexPage, RepositoryIndexPage})

    def test_home_page_cannot_be_created_inside_a_workspace(self):
        self.assertCanNotCreateAt(WorkspacePage, HomePage)

    def test_workspace_index_can_be_created_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, WorkspaceIndexPage)

    def test_workspace_index_cannot_be_created_under_the_root(self):
        self.assertCanNotCreateAt(Page, WorkspaceIndexPage)

    def test_workspace_index_holds_only_workspaces(self):
        self.assertAllowedSubpageTypes(WorkspaceIndexPage, {WorkspacePage})

    def test_workspace_can_be_created_under_the_workspace_index(self):
        self.assertCanCreateAt(WorkspaceIndexPage, WorkspacePage)

    def test_workspace_cannot_be_created_under_the_home_page(self):
        self.assertCanNotCreateAt(HomePage, WorkspacePage)

    def test_workspace_cannot_be_nested_in_another_workspace(self):
        self.assertCanNotCreateAt(WorkspacePage, WorkspacePage)

    def test_workspace_holds_wiki_pages_and_meetings(self):
        self.assertAllowedSubpageTypes(WorkspacePage, {WikiPage, MeetingPage})

    def test_wiki_page_can_be_created_in_a_workspace(self):
        self.assertCanCreateAt(WorkspacePage, WikiPage)

    def test_wiki_pages_nest_inside_wiki_pages(self):
        self.assertCanCreateAt(WikiPage, WikiPage)

    def test_wiki_page_cannot_be_created_under_the_workspace_index(self):
        self.assertCanNotCreateAt(WorkspaceIndexPage, WikiPage)

    def test_wiki_page_cannot_be_created_in_the_repository(self):
        self.assertCanNotCreateAt(RepositoryIndexPage, WikiPage)

    def test_meeting_can_be_created_in_a_workspace(self):
        self.assertCanCreateAt(WorkspacePage, MeetingPage)

    def test_meeting_cannot_be_created_under_a_wiki_page(self):
        self.assertCanNotCreateAt(WikiPage, MeetingPage)

    def test_meeting_has_no_subpages(self):
        self.assertAllowedSubpageTypes(MeetingPage, set())

    def test_deliverable_cannot_be_created_in_a_workspace(self):
        self.assertCanNotCreateAt(WorkspacePage, DeliverablePage)


class WikiPagesRenderTests(WagtailPageTestCase):
    # `assertPageIsRenderable(user=...)` logs in with the first authentication backend, which is
    # django-axes' (it cannot load users); Django's own `force_login` picks a backend that can.
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.wiki_page = WikiPageFactory(parent=cls.workspace, locale=cls.tree.fr)
        cls.meeting = MeetingPageFactory(parent=cls.workspace, locale=cls.tree.fr)
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)

    def test_french_home_page_renders_for_an_anonymous_visitor(self):
        self.assertPageIsRenderable(self.tree.home_fr)

    def test_english_home_page_renders_for_an_anonymous_visitor(self):
        self.assertPageIsRenderable(self.tree.home_en)

    def test_home_page_renders_as_a_dashboard_for_a_member(self):
        self.client.force_login(self.member)
        self.assertPageIsRenderable(self.tree.home_fr)

    def test_workspace_index_renders_for_a_signed_in_user(self):
        self.client.force_login(self.member)
        self.assertPageIsRenderable(self.tree.workspaces_fr)

    def test_workspace_renders_for_its_member(self):
        self.client.force_login(self.member)
        self.assertPageIsRenderable(self.workspace)

    def test_wiki_page_renders_for_a_member_of_its_workspace(self):
        self.client.force_login(self.member)
        self.assertPageIsRenderable(self.wiki_page)

    def test_meeting_renders_for_a_member_of_its_workspace(self):
        self.client.force_login(self.member)
        self.assertPageIsRenderable(self.meeting)
