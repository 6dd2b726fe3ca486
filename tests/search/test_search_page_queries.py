"""The search page costs a fixed number of queries: it does not grow with the number of hits
shown, their workspaces, or the values of the facets."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from search_helpers import MARKER_A, build_world, search_url

from wiki.factories import WikiPageFactory, WorkspacePageFactory

WORD = "lanterne"


def body(text):
    return [("paragraph", f"<p>{text}</p>")]


class SearchPageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        tree = cls.world.tree
        # Twelve pages with the word, in four workspaces: a full page of results, four
        # workspace labels, hits of several kinds of snippet.
        workspaces = [cls.world.workspace_a, cls.world.workspace_b]
        workspaces += [
            WorkspacePageFactory(parent=tree.workspaces_fr, title=f"Communauté {n}", locale=tree.fr)
            for n in range(2)
        ]
        for number in range(12):
            WikiPageFactory(
                parent=workspaces[number % len(workspaces)],
                title=f"Fiche {number}",
                body=body(f"Une {WORD} allumée, fiche numéro {number}, au bord du chemin."),
                locale=tree.fr,
            )

    def queries(self, user, **params):
        self.client.force_login(user)
        self.client.get(search_url(**params))  # caches of the site shell warmed
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(search_url(**params))
        self.assertEqual(response.status_code, 200)
        return len(captured), response.content.decode()

    def test_ten_hits_in_four_workspaces_cost_the_same_queries_as_one_hit(self):
        one, html_one = self.queries(self.world.admin, q=MARKER_A)
        many, html_many = self.queries(self.world.admin, q=WORD)
        self.assertEqual(html_one.count('class="search-hit"'), 1)
        self.assertEqual(html_many.count('class="search-hit"'), 10)
        self.assertEqual(many, one)

    def test_a_member_pays_no_more_queries_for_more_hits(self):
        one, _html = self.queries(self.world.member_a, q=MARKER_A)
        many, html_many = self.queries(self.world.member_a, q=WORD)
        self.assertEqual(html_many.count('class="search-hit"'), 3)
        self.assertEqual(many, one)
