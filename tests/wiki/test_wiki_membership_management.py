"""Coordinators run their workspace's membership on the site; access follows at once."""

import datetime

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from wiki.factories import build_access_matrix
from wiki.models import Invitation, JoinRequest, Membership, WorkspacePage


class Fixture:
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.workspace = cls.world.workspace_a
        cls.coordinator = cls.world.users["coordinator-a"]
        cls.member = cls.world.users["member-a"]
        cls.partner = cls.world.users["partner"]

    def membership(self, user):
        return (
            Membership.objects.current()
            .filter(user=user, workspace_key=self.workspace.translation_key)
            .first()
        )

    def url(self, name, *args):
        # In English, so that the assertions can read the interface's source text.
        with translation.override("en"):
            return reverse(f"wiki:{name}", args=[self.workspace.pk, *args])


class CoordinatorManagesMembersTests(Fixture, TestCase):
    def setUp(self):
        self.client.force_login(self.coordinator)

    def test_members_page_lists_members_with_their_role(self):
        response = self.client.get(self.url("members"))
        self.assertContains(response, self.member.get_full_name())
        self.assertContains(response, "Coordinator")

    def test_who_can_see_panel_lists_exactly_the_readers_of_the_workspace(self):
        response = self.client.get(self.url("members"))
        audience = {person.username for person, *_ in response.context["audience"]}
        self.assertEqual(audience, {"member-a", "coordinator-a", "admin"})

    def test_who_can_see_panel_says_who_may_publish(self):
        response = self.client.get(self.url("members"))
        publishers = {
            person.username for person, _m, _edit, publish in response.context["audience"] if publish
        }
        self.assertEqual(publishers, {"coordinator-a", "admin"})

    def test_adding_a_member_opens_the_workspace_to_them(self):
        self.client.post(self.url("members"), {"add-person": "partner", "add-role": "participant"})
        self.client.force_login(self.partner)
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 200)

    def test_adding_an_unknown_person_says_so_and_adds_nobody(self):
        response = self.client.post(self.url("members"), {"add-person": "nobody", "add-role": "participant"})
        self.assertContains(response, "No account matches")
        self.assertEqual(Membership.objects.filter(workspace_key=self.workspace.translation_key).count(), 2)

    def test_making_a_participant_coordinator_lets_them_publish(self):
        membership = self.membership(self.member)
        self.client.post(self.url("change_role", membership.pk), {"role": "coordinator"})
        self.assertTrue(self.world.page_a.permissions_for_user(self.member).can_publish())

    def test_ending_member_as_membership_removes_access_on_the_next_request(self):
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 200)
        self.client.force_login(self.coordinator)
        self.client.post(self.url("end_membership", self.membership(self.member).pk))
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 403)
        self.assertEqual(self.client.get(self.world.document_a.url).status_code, 403)
        self.assertFalse(self.world.page_a.permissions_for_user(self.member).can_edit())

    def test_the_last_coordinator_cannot_end_their_own_membership(self):
        self.client.post(self.url("end_membership", self.membership(self.coordinator).pk))
        self.assertIsNotNone(self.membership(self.coordinator))

    def test_the_last_coordinator_cannot_step_down_to_participant(self):
        self.client.post(
            self.url("change_role", self.membership(self.coordinator).pk), {"role": "participant"}
        )
        self.assertEqual(self.membership(self.coordinator).role, Membership.Role.COORDINATOR)

    def test_a_participant_cannot_change_roles(self):
        self.client.force_login(self.member)
        response = self.client.post(
            self.url("change_role", self.membership(self.member).pk), {"role": "coordinator"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.membership(self.member).role, Membership.Role.PARTICIPANT)


class InvitationTests(Fixture, TestCase):
    def invite(self, email="partner@example.org"):
        self.client.force_login(self.coordinator)
        self.client.post(self.url("invite"), {"invite-email": email, "invite-role": "participant"})
        return Invitation.objects.get(email=email)

    def link(self):
        return next(line for line in mail.outbox[-1].body.splitlines() if "/invitation/" in line).strip()

    def test_invitation_is_emailed_with_a_signed_link_and_says_why(self):
        self.invite()
        self.assertEqual(mail.outbox[-1].to, ["partner@example.org"])
        self.assertIn("/wiki/invitation/", mail.outbox[-1].body)
        self.assertIn("coordinator", mail.outbox[-1].body)

    def test_accepting_the_invitation_makes_the_person_a_member(self):
        self.invite()
        self.client.force_login(self.partner)
        self.client.post(self.link())
        self.assertIsNotNone(self.membership(self.partner))
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 200)

    def test_a_revoked_invitation_no_longer_works(self):
        invitation = self.invite()
        self.client.post(self.url("revoke_invitation", invitation.pk))
        self.client.force_login(self.partner)
        response = self.client.post(self.link())
        self.assertEqual(response.status_code, 410)
        self.assertIsNone(self.membership(self.partner))

    def test_an_expired_invitation_no_longer_works(self):
        invitation = self.invite()
        Invitation.objects.filter(pk=invitation.pk).update(
            expires=timezone.now() - datetime.timedelta(minutes=1)
        )
        self.client.force_login(self.partner)
        self.assertEqual(self.client.post(self.link()).status_code, 410)
        self.assertIsNone(self.membership(self.partner))

    def test_an_invitation_works_only_for_the_invited_address(self):
        self.invite()
        self.client.force_login(self.world.users["member-b"])
        self.assertEqual(self.client.post(self.link()).status_code, 410)
        self.assertIsNone(self.membership(self.world.users["member-b"]))

    def test_a_tampered_invitation_link_is_not_found(self):
        self.client.force_login(self.partner)
        with translation.override("en"):
            url = reverse("wiki:accept_invitation", args=["1:forged"])
        self.assertEqual(self.client.get(url).status_code, 404)


class JoinAndLeaveTests(Fixture, TestCase):
    def open_workspace(self):
        WorkspacePage.objects.filter(pk=self.workspace.pk).update(membership_policy=WorkspacePage.Policy.OPEN)

    def test_invitation_only_workspace_refuses_join_requests(self):
        self.client.force_login(self.partner)
        self.assertEqual(self.client.post(self.url("join")).status_code, 403)

    def test_open_workspace_is_listed_for_non_members_to_join(self):
        self.open_workspace()
        self.client.force_login(self.partner)
        response = self.client.get(self.world.tree.workspaces_fr.url)
        self.assertContains(response, reverse("wiki:join", args=[self.workspace.pk]))
        self.assertNotContains(response, self.world.page_a.title)

    def test_join_request_is_sent_to_the_coordinators_and_gives_no_access_yet(self):
        self.open_workspace()
        self.client.force_login(self.partner)
        self.client.post(self.url("join"), {"message": "Je travaille en dépendance."})
        self.assertEqual(mail.outbox[-1].to, [self.coordinator.email])
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 403)

    def test_accepted_join_request_opens_the_workspace(self):
        self.open_workspace()
        self.client.force_login(self.partner)
        self.client.post(self.url("join"))
        join_request = JoinRequest.objects.get(user=self.partner)
        self.client.force_login(self.coordinator)
        self.client.post(self.url("decide_request", join_request.pk, "accept"))
        self.client.force_login(self.partner)
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 200)

    def test_refused_join_request_keeps_the_workspace_closed(self):
        self.open_workspace()
        self.client.force_login(self.partner)
        self.client.post(self.url("join"))
        join_request = JoinRequest.objects.get(user=self.partner)
        self.client.force_login(self.coordinator)
        self.client.post(self.url("decide_request", join_request.pk, "refuse"))
        self.client.force_login(self.partner)
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 403)
        self.assertIn("not accepted", mail.outbox[-1].body)

    def test_a_member_who_leaves_loses_access(self):
        self.client.force_login(self.member)
        self.client.post(self.url("leave"))
        self.assertEqual(self.client.get(self.world.page_a.url).status_code, 403)

    def test_someone_without_an_account_is_sent_to_the_login_page(self):
        response = self.client.get(self.url("members"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
