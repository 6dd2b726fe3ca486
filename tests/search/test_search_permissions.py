"""No search response (results, counts, facets, snippets, suggestions) reveals content the
reader may not view, and a privacy change takes effect without reindexing."""

import datetime
import io

from django.test import TestCase
from search_helpers import (
    MARKER_A,
    MARKER_B,
    MARKER_EMBARGOED_FILE,
    MARKER_MEMBERS_DELIVERABLE,
    MARKER_PARTNERS_DELIVERABLE,
    MARKER_PRIVATE_FILE,
    MARKER_PUBLIC,
    MARKER_PUBLIC_FILE,
    build_world,
    results_html,
    search_url,
    suggest_url,
)
from wagtail.models import PageViewRestriction

from wiki import access

ALL_MARKERS = [
    MARKER_A,
    MARKER_B,
    MARKER_MEMBERS_DELIVERABLE,
    MARKER_PARTNERS_DELIVERABLE,
    MARKER_PUBLIC,
    MARKER_PUBLIC_FILE,
    MARKER_PRIVATE_FILE,
    MARKER_EMBARGOED_FILE,
]
EVERYONE = {MARKER_PUBLIC, MARKER_PUBLIC_FILE}


class SearchPermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def readers(self):
        w = self.world
        # The text of embargoed files stays out of search for everyone until the embargo ends.
        return {
            "anonymous": (None, EVERYONE),
            "outsider": (w.outsider, {*EVERYONE, MARKER_PARTNERS_DELIVERABLE}),
            "member_a": (w.member_a, {*EVERYONE, MARKER_PARTNERS_DELIVERABLE, MARKER_A}),
            "member_b": (
                w.member_b,
                {
                    *EVERYONE,
                    MARKER_PARTNERS_DELIVERABLE,
                    MARKER_B,
                    MARKER_MEMBERS_DELIVERABLE,
                    MARKER_PRIVATE_FILE,
                },
            ),
            "admin": (w.admin, set(ALL_MARKERS) - {MARKER_EMBARGOED_FILE}),
        }

    def login(self, user):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)

    def test_each_reader_finds_exactly_the_markers_they_may_view(self):
        for name, (user, allowed) in self.readers().items():
            self.login(user)
            for marker in ALL_MARKERS:
                with self.subTest(reader=name, marker=marker):
                    html = results_html(self.client.get(search_url(q=marker)))
                    if marker in allowed:
                        self.assertIn(f"<mark>{marker}</mark>", html)
                    else:
                        self.assertNotIn(marker, html)
                        self.assertNotIn("search-hit", html)

    def test_a_broad_query_never_shows_a_forbidden_marker_in_snippets_counts_or_facets(self):
        for name, (user, allowed) in self.readers().items():
            self.login(user)
            for query in ("le", "sur", "rapport bilan protocole repérage", "*", "du"):
                html = results_html(self.client.get(search_url(q=query, both="1")))
                for marker in set(ALL_MARKERS) - allowed:
                    with self.subTest(reader=name, query=query, marker=marker):
                        self.assertNotIn(marker, html)

    def test_counts_include_only_viewable_content(self):
        self.login(self.world.outsider)
        # "protocole" is only in workspace B's private page; "guide" in the public deliverable.
        html = self.client.get(search_url(q="protocole")).content.decode()
        self.assertNotIn("Protocole de garde", html)
        self.assertNotIn("search-hit", html)
        self.login(self.world.member_b)
        html = self.client.get(search_url(q="protocole")).content.decode()
        self.assertIn("Protocole de garde", html)

    def test_workspace_facet_never_names_a_workspace_the_reader_may_not_view(self):
        self.login(self.world.member_a)
        html = self.client.get(search_url(q="bilan rapport guide", both="1")).content.decode()
        html += self.client.get(search_url(q="soins")).content.decode()
        self.assertNotIn("Comité de soins palliatifs", html)

    def test_suggestions_include_only_viewable_titles(self):
        for name, (user, _allowed) in self.readers().items():
            self.login(user)
            data = self.client.get(suggest_url(q="Protoc")).json()
            titles = [s["title"] for s in data["suggestions"]]
            with self.subTest(reader=name):
                if name in ("member_b", "admin"):
                    self.assertIn("Protocole de garde", titles)
                else:
                    self.assertNotIn("Protocole de garde", titles)

    def test_suggestions_never_contain_a_forbidden_marker(self):
        for name, (user, allowed) in self.readers().items():
            self.login(user)
            for marker in set(ALL_MARKERS) - allowed:
                with self.subTest(reader=name, marker=marker):
                    response = self.client.get(suggest_url(q=marker[:5]))
                    self.assertNotIn(marker, response.content.decode())

    def test_making_a_page_private_hides_it_at_once_without_reindexing(self):
        self.login(self.world.outsider)
        self.assertIn("Guide de la santé des aînés", self.client.get(search_url(q="aînés")).content.decode())
        access.set_page_audience(
            self.world.public_deliverable, "workspace", self.world.workspace_b.translation_key
        )
        self.assertNotIn(
            "Guide de la santé des aînés", self.client.get(search_url(q="aînés")).content.decode()
        )

    def test_joining_a_workspace_reveals_its_pages_at_once(self):
        from wiki.factories import MembershipFactory

        self.login(self.world.outsider)
        self.assertNotIn(MARKER_A, results_html(self.client.get(search_url(q=MARKER_A))))
        MembershipFactory(user=self.world.outsider, workspace=self.world.workspace_a)
        access.sync_workspace(self.world.workspace_a.translation_key)
        self.assertIn(f"<mark>{MARKER_A}</mark>", self.client.get(search_url(q=MARKER_A)).content.decode())

    def test_lifting_a_workspace_restriction_shows_its_pages_to_signed_in_readers_not_visitors(self):
        # The rule, not the index, decides: with the restriction gone, a signed-in outsider reads the page.
        PageViewRestriction.objects.filter(page=self.world.workspace_a).delete()
        self.login(self.world.outsider)
        self.assertIn(f"<mark>{MARKER_A}</mark>", self.client.get(search_url(q=MARKER_A)).content.decode())
        # Anonymous visitors still do not: wiki pages are not a type visitors may read.
        self.login(None)
        self.assertNotIn(f"<mark>{MARKER_A}</mark>", self.client.get(search_url(q=MARKER_A)).content.decode())

    def test_unpublished_pages_are_not_found_even_by_administrators(self):
        self.login(self.world.admin)
        self.world.page_b.unpublish()
        self.assertNotIn("Protocole de garde", self.client.get(search_url(q="protocole")).content.decode())

    def test_the_text_of_embargoed_files_is_found_once_the_embargo_ends(self):
        from django.core.management import call_command

        from repository.models import DeliverablePage

        DeliverablePage.objects.filter(pk=self.world.embargoed_deliverable.pk).update(
            embargo_until=datetime.date.today() - datetime.timedelta(days=1)
        )
        self.login(None)
        self.assertNotIn(
            MARKER_EMBARGOED_FILE, results_html(self.client.get(search_url(q=MARKER_EMBARGOED_FILE)))
        )
        call_command("rebuild_search_index", "--lifted-embargoes", stdout=io.StringIO())
        html = results_html(self.client.get(search_url(q=MARKER_EMBARGOED_FILE)))
        self.assertIn(f"<mark>{MARKER_EMBARGOED_FILE}</mark>", html)


MARKER_GUEST_AREA = "chrysocaleine"  # members of workspace B and the guest invited to its area


class GuestSearchTests(TestCase):
    """A guest invited to one area of a workspace finds that area and nothing else of it."""

    @classmethod
    def setUpTestData(cls):
        from django.utils import timezone

        from wiki.factories import UserFactory, WikiPageFactory
        from wiki.models import Invitation

        cls.world = build_world()
        workspace_b = cls.world.workspace_b
        cls.area = WikiPageFactory(
            parent=workspace_b,
            title="Demandes confidentielles",
            body=[("paragraph", f"<p>Le dossier {MARKER_GUEST_AREA} du partenaire.</p>")],
            locale=cls.world.tree.fr,
        )
        cls.guest = UserFactory(username="invite")
        now = timezone.now()
        cls.invitation = Invitation.objects.create(
            workspace_key=workspace_b.translation_key,
            area_key=cls.area.translation_key,
            email="invite@example.org",
            expires=now + datetime.timedelta(days=30),
            accepted_at=now,
            accepted_by=cls.guest,
        )

    def setUp(self):
        self.client.force_login(self.guest)

    def test_the_guest_finds_the_area_they_were_invited_to(self):
        html = results_html(self.client.get(search_url(q=MARKER_GUEST_AREA)))
        self.assertIn(f"<mark>{MARKER_GUEST_AREA}</mark>", html)

    def test_the_guest_finds_nothing_else_of_the_workspace_or_other_private_content(self):
        forbidden = set(ALL_MARKERS) - EVERYONE - {MARKER_PARTNERS_DELIVERABLE}
        for query in (*forbidden, "protocole", "rencontre", "le du sur", "comité soins"):
            response = self.client.get(search_url(q=query, both="1"))
            suggestions = self.client.get(suggest_url(q=query[:6])).content.decode()
            for marker in forbidden:
                with self.subTest(query=query, marker=marker):
                    self.assertNotIn(marker, results_html(response))
                    self.assertNotIn(marker, suggestions)
            with self.subTest(query=query):
                self.assertNotIn("Protocole de garde", suggestions)
                self.assertNotIn("Rencontre de novembre", results_html(response))

    def test_other_readers_do_not_find_the_area(self):
        for user in (None, self.world.outsider, self.world.member_a):
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            with self.subTest(user=str(user)):
                html = results_html(self.client.get(search_url(q=MARKER_GUEST_AREA)))
                self.assertNotIn(MARKER_GUEST_AREA, html)

    def test_a_revoked_invitation_hides_the_area_at_once(self):
        from django.utils import timezone

        self.invitation.revoked_at = timezone.now()
        self.invitation.save()
        html = results_html(self.client.get(search_url(q=MARKER_GUEST_AREA)))
        self.assertNotIn(MARKER_GUEST_AREA, html)
        self.assertNotIn("search-hit", html)
