"""Search shows only what the reader may view right now: a coordinator who unpublishes a
section (a workspace, the repository) hides its live pages from results, counts and
suggestions at once, for every reader, and publishing it again brings them back, all without
touching the search index."""

from unittest import mock

from django.test import TestCase
from search_helpers import MARKER_B, MARKER_PUBLIC, build_world, results_html, search_url, suggest_url

from search import indexing
from search.models import SearchEntry


def publish(page):
    page.save_revision().publish()


class UnpublishedSectionSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def find(self, user, **params):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return results_html(self.client.get(search_url(**params)))

    @staticmethod
    def total(html):
        """The number of results the page announces (0 when it announces none)."""
        import re

        found = re.search(r'role="status">(?:[^<]*?)(\d+)\s*r', html)
        return int(found.group(1)) if found else 0

    def suggestions(self, user, q):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return [s["title"] for s in self.client.get(suggest_url(q=q)).json()["suggestions"]]

    def test_a_member_finds_the_live_pages_of_their_workspace_while_it_is_published(self):
        self.assertIn(f"<mark>{MARKER_B}</mark>", self.find(self.world.member_b, q=MARKER_B))

    def test_unpublishing_a_workspace_hides_its_live_pages_from_its_members_at_once(self):
        self.world.workspace_b.unpublish()
        html = self.find(self.world.member_b, q=MARKER_B)
        self.assertNotIn(MARKER_B, html)
        self.assertNotIn("search-hit", html)

    def test_unpublishing_a_workspace_hides_its_live_pages_from_administrators_too(self):
        self.world.workspace_b.unpublish()
        html = self.find(self.world.admin, q=MARKER_B)
        self.assertNotIn(MARKER_B, html)
        self.assertNotIn("Rencontre de novembre", self.find(self.world.admin, q="rencontre"))

    def test_counts_and_facets_leave_out_the_pages_of_an_unpublished_workspace(self):
        # "soins" is in the titles of workspace B and of a page of workspace A.
        before = self.find(self.world.admin, q="soins")
        self.assertIn("Comité de soins palliatifs", before)
        self.world.workspace_b.unpublish()
        after = self.find(self.world.admin, q="soins")
        self.assertNotIn("Comité de soins palliatifs", after)
        self.assertNotIn(MARKER_B, after)
        self.assertLess(self.total(after), self.total(before))

    def test_suggestions_leave_out_the_titles_of_an_unpublished_workspace(self):
        self.assertIn("Protocole de garde", self.suggestions(self.world.member_b, "Protoc"))
        self.world.workspace_b.unpublish()
        for user in (self.world.member_b, self.world.admin):
            with self.subTest(user=user.username):
                self.assertNotIn("Protocole de garde", self.suggestions(user, "Protoc"))

    def test_unpublishing_the_repository_hides_its_public_deliverables_from_visitors(self):
        self.assertIn(f"<mark>{MARKER_PUBLIC}</mark>", self.find(None, q=MARKER_PUBLIC))
        self.world.public_deliverable.get_parent().unpublish()
        for user in (None, self.world.outsider, self.world.admin):
            with self.subTest(user=str(user)):
                self.assertNotIn(MARKER_PUBLIC, self.find(user, q=MARKER_PUBLIC))

    def test_the_index_keeps_the_entries_of_an_unpublished_section(self):
        entries = set(
            SearchEntry.objects.filter(page__in=[self.world.page_b, self.world.meeting_b]).values_list(
                "pk", flat=True
            )
        )
        self.world.workspace_b.unpublish()
        after = set(
            SearchEntry.objects.filter(page__in=[self.world.page_b, self.world.meeting_b]).values_list(
                "pk", flat=True
            )
        )
        self.assertEqual(after, entries)
        self.assertEqual(len(entries), 2)

    def test_publishing_the_workspace_again_brings_its_pages_back_without_reindexing_them(self):
        with mock.patch.object(indexing, "index_page", wraps=indexing.index_page) as index_page:
            self.world.workspace_b.unpublish()
            self.assertNotIn(MARKER_B, self.find(self.world.member_b, q=MARKER_B))
            self.world.workspace_b.refresh_from_db()
            publish(self.world.workspace_b)
            self.assertIn(f"<mark>{MARKER_B}</mark>", self.find(self.world.member_b, q=MARKER_B))
        # Only the workspace itself was indexed again: the rule, not the index, decided.
        indexed = {call.args[0].pk for call in index_page.call_args_list}
        self.assertEqual(indexed, {self.world.workspace_b.pk})

    def test_unpublishing_a_page_with_subpages_hides_the_subpages_from_search(self):
        from wiki.factories import WikiPageFactory

        child = WikiPageFactory(
            parent=self.world.page_b, title="Annexe du protocole", locale=self.world.tree.fr
        )
        publish(child)
        self.assertIn("Annexe du protocole", self.find(self.world.member_b, q="annexe"))
        self.world.page_b.unpublish()
        self.assertNotIn("Annexe du protocole", self.find(self.world.member_b, q="annexe"))
