"""`generate_scale_data` builds a valid, bilingual, access-controlled dataset in bulk."""

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from repository.factories import RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki import access
from wiki.factories import WikiPageFactory, build_site_tree, publish_translation
from wiki.models import Membership, WikiPage, WorkspaceAccess, WorkspacePage

SIZES = {"workspaces": 3, "pages": 12, "deliverables": 12, "users": 8, "files": 2, "no_index": True}


def generate(**sizes):
    call_command("generate_scale_data", stdout=open("/dev/null", "w"), **{**SIZES, **sizes})  # noqa: SIM115


class ScaleDataFixture:
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        publish_translation(repository, cls.tree.en)
        cls.pages_before = Page.objects.count()
        generate()


class GenerateScaleDataTests(ScaleDataFixture, TestCase):
    def test_it_creates_the_requested_wiki_pages_in_both_languages(self):
        fr_pages = WikiPage.objects.filter(locale=self.tree.fr)
        self.assertEqual(fr_pages.count(), 12)
        self.assertEqual(WikiPage.objects.filter(locale=self.tree.en).count(), 12)
        keys = set(fr_pages.values_list("translation_key", flat=True))
        en_keys = set(WikiPage.objects.filter(locale=self.tree.en).values_list("translation_key", flat=True))
        self.assertEqual(keys, en_keys)

    def test_the_page_tree_has_no_problems(self):
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))

    def test_every_generated_page_has_a_live_revision_with_its_title(self):
        for page in WikiPage.objects.all()[:6]:
            revision = page.live_revision
            self.assertIsNotNone(revision)
            self.assertEqual(revision.as_object().title, page.title)

    def test_generated_pages_render_for_a_member_of_their_workspace(self):
        membership = Membership.objects.select_related("user").first()
        workspace = WorkspacePage.objects.get(translation_key=membership.workspace_key, locale=self.tree.fr)
        page = WikiPage.objects.descendant_of(workspace).first()
        self.client.force_login(membership.user)
        self.assertEqual(self.client.get(workspace.url).status_code, 200)
        response = self.client.get(page.url)
        self.assertContains(response, page.title)

    def test_a_person_outside_a_workspace_cannot_read_its_pages(self):
        membership = Membership.objects.select_related("user").first()
        keys = Membership.objects.filter(user=membership.user).values("workspace_key")
        other = (
            WorkspacePage.objects.exclude(translation_key__in=keys)
            .filter(acronym__startswith="CdP 0")
            .first()
        )
        self.client.force_login(membership.user)
        self.assertEqual(self.client.get(other.url).status_code, 403)
        page = WikiPage.objects.descendant_of(other).first()
        self.assertEqual(self.client.get(page.url).status_code, 403)

    def test_workspace_access_is_materialised_for_each_generated_workspace(self):
        for workspace in WorkspacePage.objects.filter(locale=self.tree.fr):
            self.assertTrue(WorkspaceAccess.objects.filter(workspace_key=workspace.translation_key).exists())
            self.assertTrue(PageViewRestriction.objects.filter(page=workspace).exists())

    def test_memberships_are_reflected_in_wagtail_groups(self):
        membership = Membership.objects.first()
        workspace_access = WorkspaceAccess.objects.get(workspace_key=membership.workspace_key)
        self.assertIn(membership.user, workspace_access.members_group.user_set.all())

    def test_public_deliverables_are_readable_by_anonymous_visitors(self):
        public = DeliverablePage.objects.filter(access_level=DeliverablePage.Access.PUBLIC).first()
        self.assertContains(self.client.get(public.url), public.title)

    def test_partner_deliverables_send_anonymous_visitors_to_the_login_page(self):
        partners = DeliverablePage.objects.filter(access_level=DeliverablePage.Access.PARTNERS).first()
        response = self.client.get(partners.url)
        self.assertEqual(response.status_code, 302)
        with translation.override("fr"):
            self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_the_access_rule_agrees_for_listings_and_single_pages(self):
        user = Membership.objects.first().user
        visible = set(access.viewable_pages(user, Page.objects.all()).values_list("pk", flat=True))
        for page in Page.objects.filter(depth__gte=3):
            self.assertEqual(page.pk in visible, access.can_view_page(user, page), page.url_path)

    def test_links_between_wiki_pages_are_recorded_as_backlinks(self):
        self.assertTrue(
            ReferenceIndex.objects.filter(
                base_content_type__model="page", to_content_type__model="page"
            ).exists()
        )

    def test_running_it_again_adds_a_second_dataset_beside_the_first(self):
        before = WikiPage.objects.count()
        generate(workspaces=1, pages=2, deliverables=2, users=2)
        self.assertEqual(WikiPage.objects.count(), before + 4)
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))

    def test_pages_added_the_usual_way_afterwards_get_fresh_ids(self):
        workspace = WorkspacePage.objects.filter(locale=self.tree.fr).last()
        page = WikiPageFactory(parent=workspace, locale=self.tree.fr)
        self.assertGreater(page.pk, WikiPage.objects.exclude(pk=page.pk).order_by("-pk").first().pk)
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))
