"""Audit trail: memberships, permissions, failed logins and restricted downloads are recorded;
coordinators see their workspace's trail and can export it safely as CSV."""

import csv
import datetime
import io
import time

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry, PageLogEntry

from repository.factories import DocumentFactory
from wiki.factories import (
    MembershipFactory,
    SuperuserFactory,
    UserFactory,
    WikiPageFactory,
    WorkspacePageFactory,
    build_site_tree,
)
from wiki.models import Membership, WorkspaceAccess


class AuditFixture:
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.workspace = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.other = WorkspacePageFactory(parent=cls.tree.workspaces_fr, locale=cls.tree.fr)
        cls.coordinator = UserFactory()
        MembershipFactory(user=cls.coordinator, workspace=cls.workspace, role=Membership.Role.COORDINATOR)
        cls.member = UserFactory(username='=HYPERLINK("http://evil.example")')
        MembershipFactory(user=cls.member, workspace=cls.workspace)
        cls.outsider = UserFactory()
        MembershipFactory(user=cls.outsider, workspace=cls.other)

    def trail_url(self, workspace, language="fr"):
        with translation.override(language):
            return reverse("operations:workspace_trail", args=[workspace.pk])


class AuditEntriesTests(AuditFixture, TestCase):
    def test_new_membership_is_recorded_with_its_workspace(self):
        entry = ModelLogEntry.objects.filter(action="cop.membership.add", data__user_id=self.member.pk).get()
        self.assertEqual(entry.data["workspace_key"], str(self.workspace.translation_key))

    def test_ended_membership_is_recorded(self):
        membership = Membership.objects.get(user=self.member)
        membership.left = datetime.date.today()
        membership.save()
        self.assertTrue(
            ModelLogEntry.objects.filter(
                action="cop.membership.change", object_id=str(membership.pk)
            ).exists()
        )

    def test_deleted_membership_is_recorded(self):
        membership = Membership.objects.get(user=self.member)
        pk = membership.pk
        membership.delete()
        self.assertTrue(
            ModelLogEntry.objects.filter(action="cop.membership.remove", object_id=str(pk)).exists()
        )

    def test_adding_someone_to_a_group_is_recorded(self):
        group = Group.objects.create(name="Éditeurs du dépôt")
        self.outsider.groups.add(group)
        entry = ModelLogEntry.objects.get(action="cop.permission.group_add", object_id=str(group.pk))
        self.assertEqual(entry.data["users"], [self.outsider.username])

    def test_failed_login_of_an_existing_account_is_recorded(self):
        with translation.override("fr"):
            self.client.post(reverse("login"), {"username": self.member.username, "password": "wrong-one-1"})
        self.assertTrue(
            ModelLogEntry.objects.filter(action="cop.login_failed", object_id=str(self.member.pk)).exists()
        )

    def test_download_of_a_members_only_document_is_recorded(self):
        collection = WorkspaceAccess.objects.get(workspace_key=self.workspace.translation_key).collection
        document = DocumentFactory(collection=collection)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(document.url).status_code, 200)
        entry = ModelLogEntry.objects.get(action="cop.download", object_id=str(document.pk))
        self.assertEqual(entry.user, self.member)

    def test_download_of_a_public_document_is_not_recorded(self):
        document = DocumentFactory()
        self.client.force_login(self.member)
        self.client.get(document.url)
        self.assertFalse(ModelLogEntry.objects.filter(action="cop.download").exists())


class WorkspaceTrailTests(AuditFixture, TestCase):
    def test_coordinator_sees_the_membership_changes_of_the_workspace(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(self.trail_url(self.workspace))
        self.assertContains(response, "HYPERLINK")
        self.assertContains(response, "Adhésion ajoutée")

    def test_coordinator_sees_edits_of_the_workspace_pages(self):
        page = WikiPageFactory(parent=self.workspace, locale=self.tree.fr, title="Procès-verbal")
        PageLogEntry.objects.log_action(page, "wagtail.edit", user=self.member)
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(self.trail_url(self.workspace)), "Procès-verbal")

    def test_coordinator_does_not_see_another_workspace_in_the_trail(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(self.trail_url(self.workspace))
        self.assertNotContains(response, self.outsider.username)

    def test_member_is_refused_the_trail(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.trail_url(self.workspace)).status_code, 403)

    def test_coordinator_of_one_workspace_is_refused_the_trail_of_another(self):
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(self.trail_url(self.other)).status_code, 403)

    def test_trail_is_in_english_at_the_english_address(self):
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(self.trail_url(self.workspace, "en")), "Membership added")

    def test_csv_export_neutralises_spreadsheet_formulas(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(self.trail_url(self.workspace) + "?format=csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row]
        self.assertTrue(any(cell.startswith("'=HYPERLINK") for cell in cells))
        self.assertFalse(any(cell.startswith("=") for cell in cells))

    def test_administrator_sees_membership_entries_in_wagtail_site_history(self):
        self.client.force_login(SuperuserFactory())
        response = self.client.get("/admin/reports/site-history/")
        self.assertContains(response, ["cop", "membership", "add"][0] and "HYPERLINK")


class SessionTimeoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.user = UserFactory()

    def test_session_idle_longer_than_the_limit_is_signed_out(self):
        self.client.force_login(self.user)
        self.assertEqual(self.client.get("/fr/espaces/").status_code, 200)
        session = self.client.session
        session["_cop_session_seen"] = time.time() - 3 * 60 * 60
        session.save()
        self.assertEqual(self.client.get("/fr/espaces/").status_code, 302)

    def test_session_older_than_the_absolute_limit_is_signed_out_even_when_active(self):
        self.client.force_login(self.user)
        self.client.get("/fr/espaces/")
        session = self.client.session
        session["_cop_session_started"] = time.time() - 13 * 60 * 60
        session.save()
        self.assertEqual(self.client.get("/fr/espaces/").status_code, 302)

    def test_active_session_within_the_limits_stays_signed_in(self):
        self.client.force_login(self.user)
        for _ in range(3):
            self.assertEqual(self.client.get("/fr/espaces/").status_code, 200)
