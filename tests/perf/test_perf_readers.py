"""A signed-in reader's groups, memberships and permissions are kept between their requests
(perf.readers), and a page's restrictions and breadcrumbs for every reader (wiki.fragments):
fewer queries, and never a stale or borrowed answer."""

import datetime
import json
from unittest import mock

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import GroupPagePermission

from perf import cache
from repository.factories import DocumentFactory
from wiki.factories import (
    MeetingPageFactory,
    MembershipFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)
from wiki.models import Membership, WikiPage, WorkspaceAccess

# Session, user, and the page itself (the page an address leads to is kept for every reader):
# everything else a signed-in wiki page needs is kept between requests.
WIKI_PAGE_BUDGET = 3


@override_settings(FRAGMENT_CACHE_SECONDS=300)
class ReaderCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.other_workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.page = WikiPageFactory(
            parent=cls.workspace,
            locale=cls.tree.fr,
            title="Page lue souvent",
            body=json.dumps([{"type": "paragraph", "value": "<p>Texte.</p>"}]),
        )
        cls.alice = UserFactory(first_name="Alice", last_name="Lectrice")
        cls.bob = UserFactory(first_name="Bob", last_name="Extérieur")
        cls.carol = UserFactory(first_name="Carol", last_name="Coordonnatrice")
        cls.alice_membership = MembershipFactory(user=cls.alice, workspace=cls.workspace)
        MembershipFactory(user=cls.carol, workspace=cls.workspace, role=Membership.Role.COORDINATOR)
        MembershipFactory(user=cls.bob, workspace=cls.other_workspace)

    def setUp(self):
        cache.bump()

    def client_for(self, user):
        client = Client()
        client.force_login(user)
        return client

    def test_a_second_view_of_a_wiki_page_costs_only_the_session_the_user_and_the_page(self):
        client = self.client_for(self.alice)
        client.get(self.page.url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(self.page.url)
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(
            len(queries.captured_queries),
            WIKI_PAGE_BUDGET,
            "\n".join(query["sql"][:200] for query in queries.captured_queries),
        )

    def test_after_a_membership_ends_the_next_request_no_longer_shows_the_workspace(self):
        client = self.client_for(self.alice)
        self.assertEqual(client.get(self.page.url).status_code, 200)
        self.assertEqual(client.get(self.page.url).status_code, 200)
        self.alice_membership.left = timezone.localdate()
        self.alice_membership.save()
        self.assertEqual(client.get(self.page.url).status_code, 403)
        self.assertEqual(client.get(self.workspace.url).status_code, 403)

    def test_a_reader_kept_by_one_request_lends_nothing_to_another_reader(self):
        self.client_for(self.alice).get(self.page.url)
        self.client_for(self.alice).get(self.page.url)
        self.assertEqual(self.client_for(self.bob).get(self.page.url).status_code, 403)

    def test_a_page_published_in_the_workspace_appears_in_the_page_tree_at_once(self):
        client = self.client_for(self.alice)
        client.get(self.page.url)
        self.assertNotContains(client.get(self.page.url), "Nouvelle page du groupe")
        new = WikiPageFactory(parent=self.workspace, locale=self.tree.fr, title="Nouvelle page du groupe")
        new.save_revision().publish()
        self.assertContains(client.get(self.page.url), "Nouvelle page du groupe")

    def test_a_new_title_shows_in_the_breadcrumbs_of_the_pages_below(self):
        child = WikiPageFactory(parent=self.page, locale=self.tree.fr, title="Sous-page")
        client = self.client_for(self.alice)
        client.get(child.url)
        page = self.page.specific
        page.title = "Titre corrigé du parent"
        page.save_revision().publish()
        self.assertContains(client.get(child.url), "Titre corrigé du parent")

    def test_the_kept_tree_and_breadcrumbs_link_to_the_pages_addresses(self):
        child = WikiPageFactory(parent=self.page, locale=self.tree.fr, title="Sous-page")
        client = self.client_for(self.alice)
        client.get(child.url)
        response = client.get(child.url)
        self.assertContains(response, f'<a href="{self.page.url}">Page lue souvent</a>', count=2)
        self.assertContains(response, f'href="{self.workspace.url}"')

    def test_a_renamed_page_is_found_at_its_new_address_and_not_at_the_old_one(self):
        client = self.client_for(self.alice)
        old_url = self.page.url
        client.get(old_url)
        page = self.page.specific
        page.slug = "nouvelle-adresse"
        page.save_revision().publish()
        page.refresh_from_db()
        self.assertEqual(client.get(page.url).status_code, 200)
        self.assertEqual(client.get(old_url).status_code, 404)

    def test_an_unpublished_page_is_not_served_although_its_address_was_kept(self):
        client = self.client_for(self.alice)
        client.get(self.page.url)
        self.assertEqual(client.get(self.page.url).status_code, 200)
        self.page.specific.unpublish()
        self.assertEqual(client.get(self.page.url).status_code, 404)

    def test_a_coordinator_whose_page_permissions_are_withdrawn_loses_the_edit_link(self):
        edit = f'href="/admin/pages/{self.page.pk}/edit/"'
        client = self.client_for(self.carol)
        client.get(self.page.url)
        self.assertContains(client.get(self.page.url), edit)
        GroupPagePermission.objects.filter(group__user=self.carol).delete()
        self.assertNotContains(client.get(self.page.url), edit)

    def test_a_reader_given_admin_access_sees_the_admin_link_on_the_next_page(self):
        dave = UserFactory(first_name="Dave")
        client = self.client_for(dave)
        home = self.tree.home_fr.url
        client.get(home)
        self.assertNotContains(client.get(home), 'href="/admin/"')
        editors = Group.objects.create(name="Rédaction")
        dave.groups.add(editors)
        client.get(home)
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        self.assertContains(client.get(home), 'href="/admin/"')

    def test_a_reader_removed_from_a_workspace_group_is_refused_at_once(self):
        client = self.client_for(self.alice)
        client.get(self.page.url)
        self.assertEqual(client.get(self.page.url).status_code, 200)
        self.alice.groups.clear()
        self.assertEqual(client.get(self.page.url).status_code, 403)

    def test_a_page_made_private_to_another_group_is_refused_although_its_restrictions_were_kept(self):
        client = self.client_for(self.alice)
        client.get(self.page.url)
        self.assertEqual(client.get(self.page.url).status_code, 200)
        restriction = self.page.view_restrictions.create(restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Comité restreint"))
        self.assertEqual(client.get(self.page.url).status_code, 403)

    def test_a_page_made_private_to_another_group_leaves_the_members_home_at_once(self):
        client = self.client_for(self.alice)
        client.get(self.tree.home_fr.url)
        self.assertContains(client.get(self.tree.home_fr.url), "Page lue souvent")
        restriction = self.page.view_restrictions.create(restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Comité restreint"))
        self.assertNotContains(client.get(self.tree.home_fr.url), "Page lue souvent")

    def test_a_page_in_a_section_unpublished_leaves_the_members_home_at_once(self):
        child = WikiPageFactory(parent=self.page, locale=self.tree.fr, title="Sous-page listée")
        child.save_revision().publish()
        client = self.client_for(self.alice)
        client.get(self.tree.home_fr.url)
        self.assertContains(client.get(self.tree.home_fr.url), "Sous-page listée")
        self.page.unpublish()
        self.assertNotContains(client.get(self.tree.home_fr.url), "Sous-page listée")


# Session, user and the page, as for a wiki page: the tree, meetings, action items, changes,
# documents and members are kept per reader.
WORKSPACE_HOME_BUDGET = 3


@override_settings(FRAGMENT_CACHE_SECONDS=300)
class WorkspaceHomeCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        WikiPageFactory(parent=cls.workspace, locale=cls.tree.fr, title="Page de travail")
        cls.alice = UserFactory(first_name="Alice", last_name="Lectrice")
        MembershipFactory(user=cls.alice, workspace=cls.workspace)
        cls.collection = WorkspaceAccess.objects.get(workspace_key=cls.workspace.translation_key).collection

    def setUp(self):
        cache.bump()
        self.client.force_login(self.alice)
        self.client.get(self.workspace.url)

    def test_a_second_view_of_the_workspace_home_stays_within_its_budget(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.workspace.url)
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(
            len(queries.captured_queries),
            WORKSPACE_HOME_BUDGET,
            "\n".join(query["sql"][:200] for query in queries.captured_queries),
        )

    def test_the_kept_home_links_its_recent_changes_to_their_addresses(self):
        page = WikiPage.objects.get(title="Page de travail")
        # Once in the recent changes, once in the page tree.
        link = f'<a href="{page.url}">Page de travail</a>'
        self.assertContains(self.client.get(self.workspace.url), link, count=2)

    def test_a_document_added_to_the_workspace_is_listed_on_its_home_at_once(self):
        DocumentFactory(collection=self.collection, title="Compte rendu déposé")
        self.assertContains(self.client.get(self.workspace.url), "Compte rendu déposé")

    def test_a_new_member_is_listed_on_the_workspace_home_at_once(self):
        newcomer = UserFactory(first_name="Nouvelle", last_name="Venue")
        MembershipFactory(user=newcomer, workspace=self.workspace)
        self.assertContains(self.client.get(self.workspace.url), "Nouvelle Venue")

    def test_a_meeting_that_has_started_leaves_the_upcoming_list_without_any_change(self):
        meeting = MeetingPageFactory(
            parent=self.workspace,
            locale=self.tree.fr,
            title="Rencontre imminente",
            start=timezone.now() + datetime.timedelta(minutes=30),
        )
        meeting.save_revision().publish()
        self.assertIn("Rencontre imminente", self.upcoming())
        later = timezone.now() + datetime.timedelta(hours=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertNotIn("Rencontre imminente", self.upcoming())

    def upcoming(self):
        """The "Upcoming meetings" section of the workspace home (recent changes list them too)."""
        html = self.client.get(self.workspace.url).content.decode()
        return html.split('id="meetings"', 1)[1].split("</section>", 1)[0]

    def test_another_reader_does_not_get_the_members_kept_home(self):
        outsider = UserFactory(first_name="Oscar")
        client = Client()
        client.force_login(outsider)
        self.assertIn(client.get(self.workspace.url).status_code, (302, 403))
