"""Editors record deliverables in the admin; bad input gets a clear error, never a crash."""

from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from repository.factories import RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki.factories import SuperuserFactory, WorkspacePageFactory, build_site_tree


class DeliverableAdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        cls.editor = SuperuserFactory()

    def setUp(self):
        self.client.force_login(self.editor)

    def post_new_deliverable(self, **fields):
        data = {
            "title": "Rapport de la communauté",
            "slug": "rapport-de-la-communaute",
            "deliverable_type": DeliverablePage.Type.REPORT,
            "access_level": DeliverablePage.Access.MEMBERS,
            "workspace_key": "",
            "abstract": "",
            "body": streamfield([]),
            "tags": "",
            "languages": "fr",
            "version": "1",
            "creators": inline_formset([]),
            "files": inline_formset([]),
            "action-publish": "publish",
            **fields,
        }
        url = reverse(
            "wagtailadmin_pages:add",
            args=["repository", "deliverablepage", self.repository.pk],
        )
        return self.client.post(url, nested_form_data(data))

    def test_members_only_deliverable_without_workspace_is_refused_with_a_message(self):
        response = self.post_new_deliverable()

        self.assertEqual(response.status_code, 200)
        self.assertIn("workspace_key", response.context["form"].errors)
        self.assertFalse(DeliverablePage.objects.filter(slug="rapport-de-la-communaute").exists())

    def test_members_only_deliverable_with_a_workspace_is_published_for_its_members(self):
        response = self.post_new_deliverable(workspace_key=str(self.workspace.translation_key))

        self.assertEqual(response.status_code, 302)
        page = DeliverablePage.objects.get(slug="rapport-de-la-communaute")
        self.assertTrue(page.live)
        restriction = page.view_restrictions.get()
        self.assertEqual(restriction.restriction_type, "groups")
