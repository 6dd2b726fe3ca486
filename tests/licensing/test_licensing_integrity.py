"""The integrity clause: changes to a memorandum deliverable need the Steering Committee."""

import datetime
import io
from html import unescape

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from licensing_forms import parse, posted_fields
from wagtail.fields import StreamField
from wagtail.models import GroupPagePermission, PageLogEntry, TaskState, WorkflowState

from licensing.factories import LicenceFactory, memorandum_licence
from licensing.integrity import IntegrityClauseError, approval_applies, committee_authority
from licensing.models import SteeringCommitteeApprovalTask
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from wiki.factories import build_access_matrix


def editor_form_data(html):
    """The fields of the page editor's form, as a browser would post them."""
    soup = parse(html)
    return posted_fields(
        soup.find("form", attrs={"data-edit-form": True}) or soup.find("form", id="page-edit-form")
    )


class IntegrityClauseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.matrix = build_access_matrix()
        cls.users = cls.matrix.users
        tree = cls.matrix.tree
        cls.repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.licence = memorandum_licence(steering_key=cls.matrix.steering_committee.translation_key)
        cls.deliverable = DeliverablePageFactory(
            parent=cls.repository, locale=tree.fr, title="Plan de MC de la CdP A", licence=cls.licence
        )
        # Its first publication, as the committee once approved it.
        with committee_authority():
            cls.deliverable.save_revision().publish()
        cls.editors = cls.repository_group("Rédaction du dépôt", ["add_page", "change_page"])
        cls.publishers = cls.repository_group(
            "Publication du dépôt", ["add_page", "change_page", "publish_page"]
        )
        # member-a edits deliverables without the right to publish; coordinator-a may publish.
        cls.users["member-a"].groups.add(cls.editors)
        cls.users["coordinator-a"].groups.add(cls.publishers)
        cls.users["steering"].groups.add(Group.objects.get(name="Editors"))
        # No moderation step before the committee's in these tests.
        cls.repository_workflow().workflow_tasks.exclude(
            task__content_type__model="steeringcommitteeapprovaltask"
        ).delete()

    @classmethod
    def repository_group(cls, name, permissions):
        group = Group.objects.create(name=name)
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in permissions:
            GroupPagePermission.objects.create(
                group=group, page=cls.repository, permission=Permission.objects.get(codename=codename)
            )
        return group

    @classmethod
    def repository_workflow(cls):
        return cls.deliverable.get_workflow()

    def edit(self, user, action, title="Plan de MC révisé", **fields):
        """`user` opens the deliverable in the editor, changes its title and presses `action`."""
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:edit", args=[self.deliverable.pk])
        data = editor_form_data(self.client.get(url).content.decode())
        # Stream fields are drawn by the admin's JavaScript; these deliverables have empty ones.
        for field in type(self.deliverable.specific)._meta.get_fields():
            if isinstance(field, StreamField):
                data.setdefault(f"{field.name}-count", "0")
        data["title"] = title
        data.update(fields)
        data[action] = "1"
        return self.client.post(url, data)

    def live_title(self):
        self.deliverable.refresh_from_db()
        return self.deliverable.live_revision.as_object().title

    def act(self, user, action, comment=""):
        state = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).get()
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:workflow_action", args=[self.deliverable.pk, action, state.pk])
        return self.client.post(url, {"comment": comment})

    def dissolve(self, on):
        agreement = self.licence.agreement
        agreement.committee_dissolved_on = on
        agreement.save()

    def test_deliverables_under_a_licence_are_put_under_the_committee_workflow(self):
        tasks = [task.specific for task in self.repository_workflow().tasks]
        self.assertIsInstance(tasks[-1], SteeringCommitteeApprovalTask)

    def test_change_by_member_a_is_not_published_until_steering_approves(self):
        self.edit(self.users["member-a"], "action-submit")
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")
        self.act(self.users["steering"], "approve", "Conforme au protocole.")
        self.assertEqual(self.live_title(), "Plan de MC révisé")

    def test_a_publisher_pressing_publish_only_submits_the_change_to_the_committee(self):
        self.edit(self.users["coordinator-a"], "action-publish")
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")
        self.assertEqual(self.deliverable.get_latest_revision().as_object().title, "Plan de MC révisé")
        self.assertEqual(WorkflowState.objects.get().status, WorkflowState.STATUS_IN_PROGRESS)

    def test_members_outside_the_committee_cannot_approve(self):
        self.edit(self.users["member-a"], "action-submit")
        self.act(self.users["coordinator-a"], "approve")
        # Wagtail's admin answers a refused action by sending the person back to the dashboard.
        self.assertEqual(TaskState.objects.get().status, TaskState.STATUS_IN_PROGRESS)
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")

    def test_a_former_committee_member_cannot_approve(self):
        from wiki.models import Membership

        self.edit(self.users["member-a"], "action-submit")
        Membership.objects.filter(user=self.users["steering"]).update(left=datetime.date(2026, 1, 1))
        self.act(self.users["steering"], "approve")
        self.assertEqual(TaskState.objects.get().status, TaskState.STATUS_IN_PROGRESS)

    def test_steering_may_request_changes_with_a_comment(self):
        self.edit(self.users["member-a"], "action-submit")
        self.act(self.users["steering"], "reject", "Le logo du MSSS manque.")
        self.assertEqual(WorkflowState.objects.get().status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")

    def test_decision_and_its_comment_are_in_the_audit_log(self):
        self.edit(self.users["member-a"], "action-submit")
        self.act(self.users["steering"], "approve", "Conforme au protocole.")
        entry = PageLogEntry.objects.get(page=self.deliverable, action="wagtail.workflow.approve")
        self.assertEqual(entry.user, self.users["steering"])
        self.assertEqual(entry.data["comment"], "Conforme au protocole.")

    def test_after_the_dissolution_date_a_publisher_publishes_directly(self):
        self.dissolve(datetime.date.today())
        self.edit(self.users["coordinator-a"], "action-publish")
        self.assertEqual(self.live_title(), "Plan de MC révisé")

    def test_after_the_dissolution_date_the_committee_step_passes_by_itself(self):
        self.dissolve(datetime.date.today() - datetime.timedelta(days=1))
        self.edit(self.users["coordinator-a"], "action-submit")
        self.assertEqual(self.live_title(), "Plan de MC révisé")
        passed = TaskState.objects.get()
        self.assertEqual((passed.status, passed.finished_by), (TaskState.STATUS_APPROVED, None))

    def test_change_approved_by_nobody_with_publishing_rights_stays_a_draft(self):
        self.dissolve(datetime.date.today())
        self.edit(self.users["member-a"], "action-submit")
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")
        self.assertEqual(self.deliverable.get_latest_revision().as_object().title, "Plan de MC révisé")

    def test_publish_button_is_withdrawn_while_the_clause_applies(self):
        self.client.force_login(self.users["coordinator-a"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.deliverable.pk]))
        self.assertNotContains(response, 'name="action-publish"')
        self.assertContains(response, 'name="action-submit"')

    def test_publish_button_is_back_once_the_committee_is_dissolved(self):
        self.dissolve(datetime.date.today())
        self.client.force_login(self.users["coordinator-a"])
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.deliverable.pk]))
        self.assertContains(response, 'name="action-publish"')

    # Every other publish path meets the same guard ---------------------------------------------

    def draft(self, title="Plan de MC révisé", **changes):
        """A new revision of the deliverable, as member-a saves it in the editor."""
        page = self.deliverable.specific
        page.refresh_from_db()
        page.title = title
        for name, value in changes.items():
            setattr(page, name, value)
        return page.save_revision(user=self.users["member-a"])

    def test_publishing_a_revision_from_code_or_the_api_is_refused_until_steering_approves(self):
        revision = self.draft()
        with self.assertRaises(IntegrityClauseError):
            revision.publish(user=self.users["coordinator-a"])
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")

    def test_a_superuser_cannot_bypass_the_committee(self):
        from wiki.factories import SuperuserFactory

        revision = self.draft()
        with self.assertRaises(IntegrityClauseError):
            revision.publish(user=SuperuserFactory(), skip_permission_checks=True)
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")

    def test_moving_the_deliverable_out_of_the_memorandum_in_a_draft_does_not_escape_the_committee(self):
        revision = self.draft(licence=LicenceFactory(approval_required=False))
        with self.assertRaises(IntegrityClauseError):
            revision.publish()
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")

    def test_the_revision_steering_approved_can_be_published_again_by_code(self):
        self.edit(self.users["member-a"], "action-submit")
        self.act(self.users["steering"], "approve")
        self.deliverable.refresh_from_db()
        approved = self.deliverable.get_latest_revision()
        self.deliverable.specific.unpublish()
        approved.publish()
        self.assertEqual(self.live_title(), "Plan de MC révisé")

    def test_a_change_made_after_steering_approved_is_not_covered_by_that_approval(self):
        self.edit(self.users["member-a"], "action-submit")
        self.act(self.users["steering"], "approve")
        later = self.draft(title="Plan de MC modifié après l'approbation")
        with self.assertRaises(IntegrityClauseError):
            later.publish()
        self.assertEqual(self.live_title(), "Plan de MC révisé")

    def test_after_the_dissolution_date_a_revision_is_published_by_code(self):
        self.dissolve(datetime.date.today())
        self.draft().publish(user=self.users["coordinator-a"])
        self.assertEqual(self.live_title(), "Plan de MC révisé")

    def test_scheduling_a_change_for_later_is_refused_until_steering_approves(self):
        revision = self.draft(go_live_at=timezone.now() + datetime.timedelta(hours=1))
        with self.assertRaises(IntegrityClauseError):
            revision.publish(user=self.users["coordinator-a"])
        revision.refresh_from_db()
        self.assertIsNone(revision.approved_go_live_at)

    def test_scheduled_publishing_does_not_publish_an_unapproved_change(self):
        revision = self.draft()
        # As if it had been scheduled before the guard existed (or by a raw database write).
        type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=timezone.now())
        with self.assertRaises(IntegrityClauseError):
            call_command("publish_scheduled", stdout=io.StringIO())
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")

    def test_a_change_steering_approved_for_a_later_date_is_published_then(self):
        go_live = timezone.localtime() + datetime.timedelta(hours=1)
        self.edit(self.users["member-a"], "action-submit", go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
        self.act(self.users["steering"], "approve")
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")
        self.deliverable.refresh_from_db()
        revision = self.deliverable.get_latest_revision()
        self.assertIsNotNone(revision.approved_go_live_at)
        # The hour has come.
        past = timezone.now() - datetime.timedelta(minutes=1)
        content = dict(revision.content, go_live_at=past.isoformat())
        type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=past, content=content)
        call_command("publish_scheduled", stdout=io.StringIO())
        self.assertEqual(self.live_title(), "Plan de MC révisé")

    def bulk_publish(self, user, page):
        self.client.force_login(user)
        url = (
            reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
            + f"?id={page.pk}&next=/admin/pages/{self.repository.pk}/"
        )
        return self.client.post(url, {"include_descendants": ""}, follow=True)

    def test_bulk_publish_in_the_explorer_is_refused_with_a_message(self):
        self.draft()
        response = self.bulk_publish(self.users["coordinator-a"], self.deliverable)
        text = unescape(response.content.decode()).replace("\u00a0", " ")
        self.assertIn("Rien n'a été publié : « Plan de MC de la CdP A »", text)
        self.assertIn("comité directeur", text)
        self.assertEqual(self.live_title(), "Plan de MC de la CdP A")

    def test_bulk_publish_including_descendants_is_refused_when_one_is_under_the_clause(self):
        with committee_authority():
            self.deliverable.specific.unpublish()
        self.client.force_login(self.users["coordinator-a"])
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + (
            f"?id={self.repository.pk}&next=/admin/pages/"
        )
        self.client.post(url, {"include_descendants": "on"}, follow=True)
        self.deliverable.refresh_from_db()
        self.assertFalse(self.deliverable.live)

    def test_copying_the_deliverable_in_the_admin_makes_a_draft_copy(self):
        self.client.force_login(self.users["coordinator-a"])
        url = reverse("wagtailadmin_pages:copy", args=[self.deliverable.pk])
        self.client.post(
            url,
            {
                "new_title": "Copie du plan",
                "new_slug": "copie-du-plan",
                "new_parent_page": self.repository.pk,
                "publish_copies": "on",
            },
        )
        copy = type(self.deliverable.specific).objects.get(slug="copie-du-plan")
        self.assertFalse(copy.live)

    def test_licence_without_approval_needs_no_committee(self):
        page = self.deliverable.specific
        page.licence = LicenceFactory(approval_required=False)
        self.assertFalse(approval_applies(page))


class ModerationKeptTests(TestCase):
    def test_moderation_the_pages_had_before_comes_before_the_committee(self):
        matrix = build_access_matrix()
        repository = RepositoryIndexPageFactory(parent=matrix.tree.home_fr, locale=matrix.tree.fr)
        inherited = repository.get_workflow()
        deliverable = DeliverablePageFactory(
            parent=repository, locale=matrix.tree.fr, licence=memorandum_licence()
        )
        tasks = [task.specific for task in deliverable.get_workflow().tasks]
        self.assertEqual(tasks[:-1], [task.specific for task in inherited.tasks])
        self.assertIsInstance(tasks[-1], SteeringCommitteeApprovalTask)
