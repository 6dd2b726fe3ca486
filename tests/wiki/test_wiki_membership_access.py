"""Memberships are the truth: they open and close a workspace's pages and documents at once."""

import datetime
from urllib.parse import urlsplit

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from repository.factories import DocumentFactory
from wiki.factories import (
    MembershipFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)
from wiki.models import Membership, WorkspaceAccess


class WorkspaceFixture:
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.wiki_page = WikiPageFactory(parent=cls.workspace, locale=cls.tree.fr)
        cls.collection = WorkspaceAccess.objects.get(workspace_key=cls.workspace.translation_key).collection
        cls.document = DocumentFactory(collection=cls.collection)
        cls.person = UserFactory()

    def assertCanRead(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response

    def assertForbidden(self, url):
        self.assertEqual(self.client.get(url).status_code, 403, url)


class MembershipGrantsAccessTests(WorkspaceFixture, TestCase):
    def setUp(self):
        self.client.force_login(self.person)

    def test_signed_in_person_without_membership_is_refused_the_workspace(self):
        self.assertForbidden(self.workspace.url)

    def test_signed_in_person_without_membership_is_refused_the_workspace_pages(self):
        self.assertForbidden(self.wiki_page.url)

    def test_signed_in_person_without_membership_is_refused_the_workspace_documents(self):
        self.assertForbidden(self.document.url)

    def test_new_membership_opens_the_workspace_on_the_next_request(self):
        MembershipFactory(user=self.person, workspace=self.workspace)
        self.assertContains(self.assertCanRead(self.workspace.url), self.workspace.title)

    def test_new_membership_opens_the_workspace_pages(self):
        MembershipFactory(user=self.person, workspace=self.workspace)
        self.assertContains(self.assertCanRead(self.wiki_page.url), self.wiki_page.title)

    def test_new_membership_opens_the_workspace_documents(self):
        MembershipFactory(user=self.person, workspace=self.workspace)
        response = self.assertCanRead(self.document.url)
        self.assertEqual(b"".join(response.streaming_content), f"Contenu de {self.document.title}\n".encode())

    def test_membership_that_starts_tomorrow_does_not_open_the_workspace_yet(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        MembershipFactory(user=self.person, workspace=self.workspace, joined=tomorrow)
        self.assertForbidden(self.workspace.url)

    def test_membership_of_another_workspace_does_not_open_this_one(self):
        other = WorkspacePageFactory(parent=self.tree.workspaces_fr, locale=self.tree.fr)
        MembershipFactory(user=self.person, workspace=other)
        self.assertCanRead(other.url)
        self.assertForbidden(self.workspace.url)
        self.assertForbidden(self.document.url)


class MembershipEndsAccessTests(WorkspaceFixture, TestCase):
    def setUp(self):
        self.membership = MembershipFactory(user=self.person, workspace=self.workspace)
        self.client.force_login(self.person)
        self.assertCanRead(self.workspace.url)

    def end_membership_today(self):
        self.membership.left = timezone.localdate()
        self.membership.save()

    def test_membership_that_ends_today_closes_the_workspace(self):
        self.end_membership_today()
        self.assertForbidden(self.workspace.url)

    def test_membership_that_ends_today_closes_the_workspace_pages(self):
        self.end_membership_today()
        self.assertForbidden(self.wiki_page.url)

    def test_membership_that_ends_today_closes_the_workspace_documents(self):
        self.assertCanRead(self.document.url)
        self.end_membership_today()
        self.assertForbidden(self.document.url)

    def test_membership_that_ends_tomorrow_still_opens_the_workspace(self):
        self.membership.left = timezone.localdate() + datetime.timedelta(days=1)
        self.membership.save()
        self.assertCanRead(self.workspace.url)

    def test_deleted_membership_closes_the_workspace(self):
        self.membership.delete()
        self.assertForbidden(self.workspace.url)

    def test_deleted_membership_closes_the_workspace_documents(self):
        self.membership.delete()
        self.assertForbidden(self.document.url)


class TranslatedWorkspaceTests(WorkspaceFixture, TestCase):
    """A translation made after the membership is as private as its source from the start."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)

    def translate_workspace(self):
        # As the admin's translate action does: the copy is saved, then published; the
        # restriction is made when the transaction commits.
        with self.captureOnCommitCallbacks(execute=True):
            translation_ = self.workspace.copy_for_translation(self.tree.en)
            translation_.save_revision().publish()
        translation_.refresh_from_db()
        return translation_

    def test_english_translation_of_a_workspace_is_restricted_to_its_groups(self):
        english = self.translate_workspace()
        access = WorkspaceAccess.objects.get(workspace_key=self.workspace.translation_key)
        restriction = PageViewRestriction.objects.get(page=english)
        self.assertEqual(set(restriction.groups.all()), {access.members_group, access.managers_group})

    def test_member_reads_the_new_english_translation(self):
        english = self.translate_workspace()
        self.client.force_login(self.member)
        self.assertTrue(english.url.startswith("/en/"))
        self.assertContains(self.assertCanRead(english.url), english.title)

    def test_non_member_is_refused_the_new_english_translation(self):
        english = self.translate_workspace()
        self.client.force_login(self.person)
        self.assertForbidden(english.url)

    def test_anonymous_visitor_is_sent_to_login_from_the_new_english_translation(self):
        english = self.translate_workspace()
        response = self.client.get(english.url)
        self.assertEqual(response.status_code, 302)
        with translation.override("en"):
            self.assertEqual(urlsplit(response["Location"]).path, reverse("login"))

    def test_membership_ended_after_translation_closes_both_languages(self):
        english = self.translate_workspace()
        membership = Membership.objects.get(user=self.member)
        membership.left = timezone.localdate()
        membership.save()
        self.client.force_login(self.member)
        self.assertForbidden(self.workspace.url)
        self.assertForbidden(english.url)


class DocumentServingTests(WorkspaceFixture, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.member = UserFactory()
        MembershipFactory(user=cls.member, workspace=cls.workspace)
        cls.root_document = DocumentFactory()

    def test_anonymous_visitor_never_fetches_a_workspace_document(self):
        response = self.client.get(self.document.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("next=", response["Location"])

    def test_anonymous_visitor_never_fetches_a_document_even_outside_workspaces(self):
        response = self.client.get(self.root_document.url)
        self.assertEqual(response.status_code, 302)

    def test_member_fetches_a_document_of_their_workspace(self):
        self.client.force_login(self.member)
        response = self.assertCanRead(self.document.url)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_non_member_is_refused_a_document_of_the_workspace(self):
        self.client.force_login(self.person)
        self.assertForbidden(self.document.url)

    def test_workspace_documents_collection_is_restricted_to_the_workspace_groups(self):
        access = WorkspaceAccess.objects.get(workspace_key=self.workspace.translation_key)
        restriction = self.collection.get_view_restrictions().get()
        self.assertEqual(set(restriction.groups.all()), {access.members_group, access.managers_group})
