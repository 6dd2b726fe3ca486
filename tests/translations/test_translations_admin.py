"""Editors reach the translation status from the admin: the reports menu, the page actions."""

from django.test import TestCase
from django.urls import reverse

from wiki.factories import build_access_matrix


class AdminEntryPointTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.status_url = reverse("translations_admin:page_status", args=[cls.world.workspace_a.pk])

    def test_the_status_index_lists_the_workspaces(self):
        self.client.force_login(self.world.users["admin"])
        response = self.client.get(reverse("translations_admin:index"))
        self.assertContains(response, self.status_url)

    def test_the_admin_menu_links_the_status_index(self):
        self.client.force_login(self.world.users["admin"])
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, reverse("translations_admin:index"))

    def test_the_page_editor_offers_the_status_and_the_needs_translation_flag(self):
        self.client.force_login(self.world.users["coordinator-a"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.world.workspace_a.pk]))
        self.assertContains(response, self.status_url)
        self.assertContains(
            response, reverse("translations_admin:request_page", args=[self.world.workspace_a.pk])
        )

    def test_the_records_status_lists_a_licence_for_an_administrator(self):
        from licensing.factories import LicenceFactory

        licence = LicenceFactory(locale=self.world.tree.fr)
        self.client.force_login(self.world.users["admin"])
        response = self.client.get(reverse("translations_admin:snippet_status"))
        self.assertContains(response, f'data-source-id="{licence.pk}" data-locale="en" data-state="missing"')
