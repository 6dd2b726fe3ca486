"""`[[...]]` links: resolved for each reader, "create this page", backlinks, across workspaces."""

from django.test import TestCase
from django.urls import reverse

from wiki.factories import MembershipFactory, WikiPageFactory, build_access_matrix
from wiki.models import WikiLink, WikiPage


def paragraph(html):
    return [("paragraph", html)]


class WikiLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.member_a = cls.world.users["member-a"]
        cls.target = WikiPageFactory(parent=cls.world.workspace_a, locale=cls.world.tree.fr, title="Lectures")
        cls.target.save_revision().publish()
        cls.secret_b = WikiPageFactory(
            parent=cls.world.workspace_b, locale=cls.world.tree.fr, title="Stratégie secrète B"
        )
        cls.secret_b.save_revision().publish()
        cls.source = WikiPageFactory(
            parent=cls.world.workspace_a,
            locale=cls.world.tree.fr,
            title="Accueil de la CdP",
            body=paragraph(
                "<p>Voir [[Lectures]], puis [[Page à écrire]], et [[CdP B:Stratégie secrète B]].</p>"
            ),
        )
        cls.source.save_revision().publish()

    def read(self, user, page):
        self.client.force_login(user)
        response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_link_to_a_page_of_the_same_workspace_becomes_a_link_with_its_title(self):
        response = self.read(self.member_a, self.source)
        self.assertContains(response, f'<a class="wikilink" href="{self.target.url}">Lectures</a>', html=True)

    def test_link_to_a_missing_page_offers_members_to_create_it(self):
        response = self.read(self.member_a, self.source)
        create = reverse("wiki:create_page", args=[self.world.workspace_a.pk])
        self.assertContains(response, f"{create}?title=Page+%C3%A0+%C3%A9crire")
        self.assertContains(response, 'class="wikilink wikilink-missing"')

    def test_link_to_a_page_of_a_workspace_the_reader_cannot_see_shows_no_title(self):
        response = self.read(self.member_a, self.source)
        self.assertNotContains(response, "Stratégie secrète B")
        self.assertNotContains(response, self.secret_b.url)
        self.assertContains(response, 'class="wikilink wikilink-unavailable"')

    def test_cross_workspace_link_works_for_a_reader_of_both_workspaces(self):
        MembershipFactory(user=self.member_a, workspace=self.world.workspace_b)
        response = self.read(self.member_a, self.source)
        self.assertContains(response, f'href="{self.secret_b.url}"')

    def test_the_linked_page_lists_the_page_that_links_to_it(self):
        response = self.read(self.member_a, self.target)
        self.assertContains(response, f'<a href="{self.source.url}">Accueil de la CdP</a>', html=True)

    def test_publishing_records_the_links_of_the_page(self):
        links = dict(WikiLink.objects.filter(source=self.source).values_list("text", "target"))
        self.assertEqual(links["Lectures"], self.target.pk)
        self.assertIsNone(links["Page à écrire"])
        self.assertEqual(links["CdP B:Stratégie secrète B"], self.secret_b.pk)

    def test_backlinks_hide_pages_the_reader_may_not_see(self):
        from_b = WikiPageFactory(
            parent=self.world.workspace_b,
            locale=self.world.tree.fr,
            title="Page de B qui cite A",
            body=paragraph("<p>[[CdP A:Lectures]]</p>"),
        )
        from_b.save_revision().publish()
        self.assertTrue(WikiLink.objects.filter(source=from_b, target=self.target).exists())
        response = self.read(self.member_a, self.target)
        self.assertNotContains(response, "Page de B qui cite A")

    def test_creating_the_missing_page_links_earlier_mentions_to_it(self):
        created = WikiPageFactory(
            parent=self.world.workspace_a, locale=self.world.tree.fr, title="Page à écrire"
        )
        created.save_revision().publish()
        response = self.read(self.member_a, created)
        self.assertContains(response, "Accueil de la CdP")

    def test_create_this_page_makes_a_draft_and_opens_the_editor(self):
        self.client.force_login(self.member_a)
        url = reverse("wiki:create_page", args=[self.world.workspace_a.pk])
        response = self.client.post(url, {"title": "Nouvelle page"})
        page = WikiPage.objects.get(title="Nouvelle page")
        self.assertRedirects(
            response, reverse("wagtailadmin_pages:edit", args=[page.pk]), fetch_redirect_response=False
        )
        self.assertFalse(page.live)
        self.assertEqual(page.get_parent().pk, self.world.workspace_a.pk)

    def test_create_this_page_is_refused_outside_ones_workspaces(self):
        self.client.force_login(self.world.users["member-b"])
        url = reverse("wiki:create_page", args=[self.world.workspace_a.pk])
        self.assertEqual(self.client.post(url, {"title": "Intrusion"}).status_code, 403)
        self.assertFalse(WikiPage.objects.filter(title="Intrusion").exists())

    def test_headings_of_the_body_make_a_table_of_contents(self):
        page = WikiPageFactory(
            parent=self.world.workspace_a,
            locale=self.world.tree.fr,
            title="Page longue",
            body=[("heading", "Contexte"), ("paragraph", "<h3>Détails</h3><p>Texte</p>")],
        )
        page.save_revision().publish()
        response = self.read(self.member_a, page)
        self.assertContains(response, '<a href="#contexte">Contexte</a>', html=True)
        self.assertContains(response, 'id="details"')

    def test_the_page_shows_the_workspace_page_tree(self):
        response = self.read(self.member_a, self.source)
        self.assertContains(response, 'class="page-tree"')
        self.assertContains(response, f'href="{self.target.url}"')
