"""The permission matrix of workspace A: seven kinds of reader against every way in.

Rows: anonymous, partner (signed in, no workspace), member-a, coordinator-a, member-b (another
workspace), steering (the steering committee) and admin (superuser). Columns: view a page, a
document, the history; edit; publish; manage members. Every cell is asserted (one sub-test each).
"""

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import translation

from wiki.factories import build_access_matrix

READERS = ["anonymous", "partner", "member-a", "coordinator-a", "member-b", "steering", "admin"]
# Who may do what in workspace A; everybody else is refused.
ALLOWED = {
    "view_page": {"member-a", "coordinator-a", "admin"},
    "view_document": {"member-a", "coordinator-a", "admin"},
    "view_history": {"member-a", "coordinator-a", "admin"},
    "edit": {"member-a", "coordinator-a", "admin"},
    "publish": {"coordinator-a", "admin"},
    "manage_members": {"coordinator-a", "admin"},
    # The issue gives these to the roles that manage a workspace, not to participants.
    "lock": {"coordinator-a", "admin"},
    "move": {"coordinator-a", "admin"},
    "delete": {"coordinator-a", "admin"},
}


def outcome(response):
    """What a person notices: the content, the login page, or a refusal."""
    if response.status_code == 200:
        return "allowed"
    if response.status_code == 302 and "next=" in response["Location"]:
        return "login"
    return "refused"


class PermissionMatrixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()

    def client_for(self, reader):
        client = Client()
        user = self.world.users[reader]
        if user is not None:
            client.force_login(user)
        return client

    def url_for(self, action):
        with translation.override("fr"):
            return {
                "view_page": self.world.page_a.url,
                "view_document": self.world.document_a.url,
                "view_history": reverse("wiki:history", args=[self.world.page_a.pk]),
                "edit": reverse("wagtailadmin_pages:edit", args=[self.world.page_a.pk]),
                "manage_members": reverse("wiki:members", args=[self.world.workspace_a.pk]),
            }[action]

    def assertSiteMatrix(self, action):
        url = self.url_for(action)
        for reader in READERS:
            with self.subTest(reader=reader):
                response = self.client_for(reader).get(url)
                if reader in ALLOWED[action]:
                    expected = "allowed"
                elif reader == "anonymous":
                    expected = "login"
                else:
                    expected = "refused"
                self.assertEqual(outcome(response), expected, response.status_code)

    def test_only_members_of_a_and_the_admin_read_a_page_of_a(self):
        self.assertSiteMatrix("view_page")

    def test_only_members_of_a_and_the_admin_download_a_document_of_a(self):
        self.assertSiteMatrix("view_document")

    def test_only_members_of_a_and_the_admin_read_the_history_of_a_page_of_a(self):
        self.assertSiteMatrix("view_history")

    def test_only_coordinators_of_a_and_the_admin_manage_the_members_of_a(self):
        self.assertSiteMatrix("manage_members")

    def test_only_members_of_a_and_the_admin_open_the_editor_on_a_page_of_a(self):
        url = self.url_for("edit")
        for reader in READERS:
            with self.subTest(reader=reader):
                response = self.client_for(reader).get(url)
                if reader in ALLOWED["edit"]:
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, 'name="title"')
                else:
                    # Wagtail sends refused editors to the login page or the dashboard.
                    self.assertEqual(response.status_code, 302)

    def test_only_members_of_a_and_the_admin_may_edit_pages_of_a(self):
        for reader in READERS[1:]:
            with self.subTest(reader=reader):
                permissions = self.world.page_a.permissions_for_user(self.world.users[reader])
                self.assertEqual(permissions.can_edit(), reader in ALLOWED["edit"])

    def test_only_coordinators_of_a_and_the_admin_may_publish_pages_of_a(self):
        for reader in READERS[1:]:
            with self.subTest(reader=reader):
                permissions = self.world.page_a.permissions_for_user(self.world.users[reader])
                self.assertEqual(permissions.can_publish(), reader in ALLOWED["publish"])

    def assertTesterMatrix(self, action, method):
        for reader in READERS[1:]:
            with self.subTest(reader=reader):
                permissions = self.world.page_a.permissions_for_user(self.world.users[reader])
                self.assertEqual(getattr(permissions, method)(), reader in ALLOWED[action])

    def test_only_coordinators_of_a_and_the_admin_may_lock_pages_of_a(self):
        self.assertTesterMatrix("lock", "can_lock")

    def test_only_coordinators_of_a_and_the_admin_may_move_published_pages_of_a(self):
        self.assertTesterMatrix("move", "can_move")

    def test_only_coordinators_of_a_and_the_admin_may_delete_published_pages_of_a(self):
        self.assertTesterMatrix("delete", "can_delete")

    def test_member_a_cannot_lock_a_page_through_the_admin(self):
        client = self.client_for("member-a")
        client.post(reverse("wagtailadmin_pages:lock", args=[self.world.page_a.pk]))
        self.world.page_a.refresh_from_db()
        self.assertFalse(self.world.page_a.locked)

    def test_coordinator_a_locks_a_page_through_the_admin(self):
        client = self.client_for("coordinator-a")
        client.post(reverse("wagtailadmin_pages:lock", args=[self.world.page_a.pk]))
        self.world.page_a.refresh_from_db()
        self.assertTrue(self.world.page_a.locked)

    def test_member_a_receives_the_document_content(self):
        response = self.client_for("member-a").get(self.world.document_a.url)
        self.assertEqual(b"".join(response.streaming_content), b"Contenu confidentiel A\n")


class RoleRightsTests(TestCase):
    """Each role of the method against the rights the issue gives it in its workspace."""

    @classmethod
    def setUpTestData(cls):
        from wiki.factories import MembershipFactory, UserFactory
        from wiki.models import Membership

        cls.world = build_access_matrix()
        cls.people = {}
        for role in Membership.Role.values:
            person = UserFactory(username=f"role-{role}")
            MembershipFactory(user=person, workspace=cls.world.workspace_a, role=role)
            cls.people[role] = person

    def rights(self, role):
        permissions = self.world.page_a.permissions_for_user(self.people[role])
        return {
            "edit": permissions.can_edit(),
            "publish": permissions.can_publish(),
            "lock": permissions.can_lock(),
            "delete": permissions.can_delete(),
        }

    def test_leaders_coordinators_and_moderators_edit_publish_lock_and_delete(self):
        for role in ("leader", "coordinator", "moderator"):
            with self.subTest(role=role):
                self.assertEqual(set(self.rights(role).values()), {True})

    def test_facilitators_and_participants_edit_but_neither_publish_lock_nor_delete(self):
        for role in ("facilitator", "participant"):
            with self.subTest(role=role):
                self.assertEqual(
                    self.rights(role), {"edit": True, "publish": False, "lock": False, "delete": False}
                )

    def test_a_participant_promoted_then_demoted_loses_the_right_to_lock(self):
        from wiki.models import Membership

        membership = Membership.objects.get(user=self.people["participant"])
        membership.role = Membership.Role.COORDINATOR
        membership.save()
        membership.role = Membership.Role.PARTICIPANT
        membership.save()
        self.assertFalse(self.world.page_a.permissions_for_user(self.people["participant"]).can_lock())
