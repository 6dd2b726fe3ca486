"""On the demo content: the judged queries rank well (MRR >= 0.8), and no demo user's search
response contains a marker planted in content that user may not view."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from search_helpers import results_html, search_url, suggest_url

from repository.models import DeliverablePage
from search import indexing, relevance
from wiki import access
from wiki.factories import WikiPageFactory
from wiki.models import WorkspacePage


class DemoSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.markers = {}
        for number, workspace in enumerate(WorkspacePage.objects.live().order_by("pk")):
            marker = f"balisedemo{number}x"
            page = WikiPageFactory(
                parent=workspace,
                title=f"Note interne {number}",
                body=[("paragraph", f"<p>Une note qui mentionne {marker}.</p>")],
                locale=workspace.locale,
            )
            cls.markers[marker] = page
        for number, deliverable in enumerate(DeliverablePage.objects.live().exclude(access_level="public")):
            marker = f"livrabledemo{number}x"
            # Written straight into the live page: publishing a change to a deliverable under a
            # partner agreement needs the Steering Committee's approval (licensing.integrity).
            abstract = f"{deliverable.abstract} {marker}"
            DeliverablePage.objects.filter(pk=deliverable.pk).update(abstract=abstract)
            indexing.index_page(deliverable)
            cls.markers[marker] = deliverable

    def test_the_judged_queries_reach_an_mrr_of_at_least_0_8(self):
        admin = get_user_model()(is_superuser=True, is_active=True, username="judge")
        judgements = relevance.load()
        self.assertGreaterEqual(len(judgements), 40)
        self.assertEqual({j["language"] for j in judgements}, {"fr", "en"})
        mrr, ndcg, _scores = relevance.evaluate(admin, judgements)
        self.assertGreaterEqual(mrr, 0.8)
        self.assertGreater(ndcg, 0.6)

    def test_the_relevance_command_prints_both_measures(self):
        out = io.StringIO()
        call_command("search_relevance", stdout=out)
        self.assertIn("MRR:", out.getvalue())
        self.assertIn("nDCG@5:", out.getvalue())

    def test_no_demo_user_finds_a_marker_they_may_not_view(self):
        users = [None, *get_user_model().objects.filter(is_active=True).order_by("username")]
        self.assertGreater(len(users), 5)
        checked = 0
        for user in users:
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for marker, page in self.markers.items():
                allowed = access.can_view_page(user, page)
                language = page.locale.language_code
                with self.subTest(user=str(user), marker=marker):
                    html = results_html(self.client.get(search_url(language, q=marker, both="1")))
                    suggestions = self.client.get(suggest_url(language, q=marker, both="1")).content.decode()
                    if allowed:
                        self.assertIn(f"<mark>{marker}</mark>", html)
                    else:
                        checked += 1
                        self.assertNotIn(marker, html)
                        self.assertNotIn("search-hit", html)
                        self.assertNotIn(page.title, suggestions)
        self.assertGreater(checked, 0)
