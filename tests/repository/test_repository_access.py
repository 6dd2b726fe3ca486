"""Deliverables: where they live, who may read them and download their files."""

from urllib.parse import parse_qs, urlsplit

from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.models import BaseViewRestriction, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage, RepositoryIndexPage
from wiki.factories import (
    MembershipFactory,
    UserFactory,
    WorkspacePageFactory,
    build_site_tree,
    publish_translation,
)
from wiki.models import HomePage, WikiPage, WorkspaceIndexPage, WorkspacePage

Access = DeliverablePage.Access


class RepositoryFixture:
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        cls.public = DeliverablePageFactory(
            parent=cls.repository,
            locale=cls.tree.fr,
            title="Plan de mobilisation public",
            file=DocumentFactory(),
        )
        cls.partners = DeliverablePageFactory(
            parent=cls.repository,
            locale=cls.tree.fr,
            title="Outil autodiagnostic pour partenaires",
            access_level=Access.PARTNERS,
            file=DocumentFactory(),
        )
        cls.members = DeliverablePageFactory(
            parent=cls.repository,
            locale=cls.tree.fr,
            title="Rapport interne de la CdP",
            access_level=Access.MEMBERS,
            workspace_key=cls.workspace.translation_key,
            file=DocumentFactory(),
        )
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)
        cls.outsider = UserFactory()

    def assertRedirectsToLogin(self, response, path, language="fr"):
        self.assertEqual(response.status_code, 302)
        location = urlsplit(response["Location"])
        with translation.override(language):
            self.assertEqual(location.path, reverse("login"))
        self.assertEqual(parse_qs(location.query).get("next"), [path])


class RepositoryPageTreeTests(WagtailPageTestCase):
    def test_repository_index_can_be_created_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, RepositoryIndexPage)

    def test_repository_index_cannot_be_created_under_the_workspace_index(self):
        self.assertCanNotCreateAt(WorkspaceIndexPage, RepositoryIndexPage)

    def test_repository_index_holds_only_deliverables(self):
        self.assertAllowedSubpageTypes(RepositoryIndexPage, {DeliverablePage})

    def test_deliverable_can_be_created_in_the_repository(self):
        self.assertCanCreateAt(RepositoryIndexPage, DeliverablePage)

    def test_deliverable_cannot_be_created_in_a_workspace(self):
        self.assertCanNotCreateAt(WorkspacePage, DeliverablePage)

    def test_deliverable_cannot_be_created_under_a_wiki_page(self):
        self.assertCanNotCreateAt(WikiPage, DeliverablePage)

    def test_deliverable_has_no_subpages(self):
        self.assertAllowedSubpageTypes(DeliverablePage, set())


class RepositoryPagesRenderTests(RepositoryFixture, WagtailPageTestCase):
    def test_repository_index_renders_for_an_anonymous_visitor(self):
        self.assertPageIsRenderable(self.repository)

    def test_public_deliverable_renders_for_an_anonymous_visitor(self):
        self.assertPageIsRenderable(self.public)

    def test_members_deliverable_renders_for_a_member(self):
        # Not `user=`: Wagtail would log in through django-axes' backend, which cannot load users.
        self.client.force_login(self.member)
        self.assertPageIsRenderable(self.members)


class DeliverableAccessLevelTests(RepositoryFixture, TestCase):
    def test_public_deliverable_is_open_to_anonymous_visitors(self):
        self.assertContains(self.client.get(self.public.url), self.public.title)

    def test_partners_deliverable_sends_anonymous_visitors_to_login(self):
        self.assertRedirectsToLogin(self.client.get(self.partners.url), self.partners.url)

    def test_partners_deliverable_is_open_to_any_signed_in_person(self):
        self.client.force_login(self.outsider)
        self.assertContains(self.client.get(self.partners.url), self.partners.title)

    def test_members_deliverable_sends_anonymous_visitors_to_login(self):
        self.assertRedirectsToLogin(self.client.get(self.members.url), self.members.url)

    def test_members_deliverable_is_refused_to_a_non_member(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.members.url).status_code, 403)

    def test_members_deliverable_is_open_to_a_member_of_its_workspace(self):
        self.client.force_login(self.member)
        self.assertContains(self.client.get(self.members.url), self.members.title)

    def test_repository_index_lists_only_public_deliverables_to_anonymous_visitors(self):
        response = self.client.get(self.repository.url)
        self.assertContains(response, self.public.title)
        self.assertNotContains(response, self.partners.title)
        self.assertNotContains(response, self.members.title)

    def test_repository_index_lists_partner_deliverables_but_not_members_ones_to_a_non_member(self):
        self.client.force_login(self.outsider)
        response = self.client.get(self.repository.url)
        self.assertContains(response, self.partners.title)
        self.assertNotContains(response, self.members.title)

    def test_anonymous_home_page_lists_only_public_deliverables(self):
        response = self.client.get("/fr/")
        self.assertContains(response, self.public.title)
        self.assertNotContains(response, self.partners.title)
        self.assertNotContains(response, self.members.title)

    def test_member_home_page_lists_the_deliverables_of_their_workspace(self):
        self.client.force_login(self.member)
        self.assertContains(self.client.get("/fr/"), self.members.title)


class DeliverablePublishingTests(RepositoryFixture, TestCase):
    def restriction_types(self, page):
        return set(PageViewRestriction.objects.filter(page=page).values_list("restriction_type", flat=True))

    def test_publishing_a_members_deliverable_restricts_it_to_the_workspace_groups(self):
        deliverable = DeliverablePageFactory(
            parent=self.repository,
            locale=self.tree.fr,
            access_level=Access.MEMBERS,
            workspace_key=self.workspace.translation_key,
            materialised=False,
        )
        self.assertEqual(self.restriction_types(deliverable), set())
        deliverable.save_revision().publish()
        self.assertEqual(self.restriction_types(deliverable), {BaseViewRestriction.GROUPS})
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(deliverable.url).status_code, 403)

    def test_republishing_a_members_deliverable_as_public_opens_it(self):
        self.members.access_level = Access.PUBLIC
        self.members.save_revision().publish()
        self.assertEqual(self.restriction_types(self.members), set())
        self.assertEqual(self.client.get(self.members.url).status_code, 200)

    def test_republishing_a_public_deliverable_for_partners_requires_login(self):
        self.public.access_level = Access.PARTNERS
        self.public.save_revision().publish()
        self.assertEqual(self.restriction_types(self.public), {BaseViewRestriction.LOGIN})
        self.assertRedirectsToLogin(self.client.get(self.public.url), self.public.url)

    def test_english_translation_of_a_members_deliverable_is_refused_to_a_non_member(self):
        publish_translation(self.repository, self.tree.en)
        english = publish_translation(self.members, self.tree.en)
        self.assertTrue(english.url.startswith("/en/"))
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(english.url).status_code, 403)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(english.url).status_code, 200)


class DeliverableDownloadTests(RepositoryFixture, TestCase):
    def download_url(self, deliverable, language="fr"):
        first = deliverable.files.first()
        with translation.override(language):
            if first is None:
                return reverse("deliverable_download", args=[deliverable.pk])
            return reverse("deliverable_file", args=[first.pk])

    def test_former_download_address_leads_to_the_first_file(self):
        with translation.override("fr"):
            url = reverse("deliverable_download", args=[self.public.pk])
        self.assertRedirects(
            self.client.get(url), self.download_url(self.public), fetch_redirect_response=False
        )

    def test_public_deliverable_file_downloads_anonymously_as_an_attachment(self):
        response = self.client.get(self.download_url(self.public))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertIn(self.public.file.filename, response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(
            b"".join(response.streaming_content), f"Contenu de {self.public.file.title}\n".encode()
        )

    def test_public_deliverable_file_downloads_from_the_english_url_too(self):
        response = self.client.get(self.download_url(self.public, "en"))
        self.assertEqual(response.status_code, 200)

    def test_partners_deliverable_file_sends_anonymous_visitors_to_login(self):
        url = self.download_url(self.partners)
        self.assertRedirectsToLogin(self.client.get(url), url)

    def test_partners_deliverable_file_downloads_for_any_signed_in_person(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.download_url(self.partners)).status_code, 200)

    def test_members_deliverable_file_is_refused_to_a_non_member(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(self.download_url(self.members)).status_code, 403)

    def test_members_deliverable_file_sends_anonymous_visitors_to_login(self):
        url = self.download_url(self.members)
        self.assertRedirectsToLogin(self.client.get(url), url)

    def test_members_deliverable_file_downloads_for_a_member(self):
        self.client.force_login(self.member)
        response = self.client.get(self.download_url(self.members))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))

    def test_deliverable_without_a_file_answers_404(self):
        no_file = DeliverablePageFactory(parent=self.repository, locale=self.tree.fr)
        self.assertEqual(self.client.get(self.download_url(no_file)).status_code, 404)

    def test_download_of_an_unpublished_public_deliverable_is_refused(self):
        draft = DeliverablePageFactory(
            parent=self.repository, locale=self.tree.fr, live=False, file=DocumentFactory()
        )
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.download_url(draft)).status_code, 403)
