"""The front-end link to the translation status appears only for people who may edit the page.

It sits next to "Edit this page" (hook ``cop_editor_actions``) on a workspace home, on the
repository index and on every other page an editor may change.
"""

from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.urls import reverse
from django.utils import translation

from repository.factories import RepositoryIndexPageFactory
from wiki.factories import build_access_matrix, publish_translation

TEMPLATE = Template("{% load translation_status %}{% translation_status_link page %}")


class StatusLinkTagTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()

    def render(self, user):
        request = RequestFactory().get("/")
        request.user = user
        return TEMPLATE.render(Context({"request": request, "page": self.world.workspace_a}))

    def test_a_coordinator_of_the_workspace_gets_the_link(self):
        url = reverse("translations_admin:page_status", args=[self.world.workspace_a.pk])
        self.assertIn(url, self.render(self.world.users["coordinator-a"]))

    def test_a_member_of_another_workspace_gets_no_link(self):
        self.assertEqual(self.render(self.world.users["member-b"]).strip(), "")


class StatusLinkOnPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.repository = RepositoryIndexPageFactory(parent=cls.world.tree.home_fr, locale=cls.world.tree.fr)

    def page_as(self, username, page, language="fr"):
        self.client.force_login(self.world.users[username])
        with translation.override(language):
            response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def status_url(self, page):
        return reverse("translations_admin:page_status", args=[page.pk])

    def test_a_coordinator_sees_the_french_status_link_on_the_workspace_home(self):
        html = self.page_as("coordinator-a", self.world.workspace_a)
        self.assertIn(f'href="{self.status_url(self.world.workspace_a)}">État des traductions</a>', html)

    def test_the_coordinator_also_gets_the_needs_translation_flag_on_the_workspace_home(self):
        url = reverse("translations_admin:request_page", args=[self.world.workspace_a.pk])
        self.assertIn(url, self.page_as("coordinator-a", self.world.workspace_a))

    def test_the_link_is_in_english_on_the_english_workspace_home(self):
        # The new translation gets its members' rights when the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            workspace_en = publish_translation(self.world.workspace_a, self.world.tree.en)
        html = self.page_as("coordinator-a", workspace_en, language="en")
        self.assertIn(f'href="{self.status_url(workspace_en)}">Translation status</a>', html)

    def test_a_participant_who_may_edit_a_wiki_page_sees_its_status_link(self):
        page = self.world.page_a
        may_edit = page.permissions_for_user(self.world.users["member-a"]).can_edit()
        self.assertEqual(self.status_url(page) in self.page_as("member-a", page), may_edit)

    def test_an_editor_of_the_repository_sees_the_link_on_the_repository_index(self):
        html = self.page_as("admin", self.repository)
        self.assertIn(f'href="{self.status_url(self.repository)}">État des traductions</a>', html)

    def test_a_member_who_may_not_edit_the_repository_sees_no_link_on_its_index(self):
        self.assertNotIn(self.status_url(self.repository), self.page_as("member-a", self.repository))

    def test_a_member_who_may_not_edit_the_repository_finds_nothing_to_do_in_its_status_view(self):
        self.client.force_login(self.world.users["member-a"])
        response = self.client.get(self.status_url(self.repository))
        self.assertContains(response, "Rien ici que vous puissiez modifier.")

    def test_member_b_is_refused_the_status_view_of_workspace_a(self):
        self.client.force_login(self.world.users["member-b"])
        response = self.client.get(self.status_url(self.world.workspace_a))
        # Wagtail's admin turns the refusal into a redirect to the dashboard with a message.
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)
