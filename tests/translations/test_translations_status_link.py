"""The front-end link to the translation status appears only for people who may edit the page."""

from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.urls import reverse

from wiki.factories import build_access_matrix

TEMPLATE = Template("{% load translation_status %}{% translation_status_link page %}")


class StatusLinkTests(TestCase):
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
