"""A participant submits a page for moderation; the workspace's own coordinators approve it
(not Wagtail's site-wide Moderators group, which no coordinator is in), nobody else can."""

from django.test import TestCase
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from wiki.factories import build_access_matrix
from wiki.models import WikiPage, WorkspaceAccess


def submit_data(page, text):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            "action-submit": "Submit",
        }
    )


class ModerationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_access_matrix()
        cls.page = cls.world.page_a
        cls.member = cls.world.users["member-a"]
        cls.coordinator = cls.world.users["coordinator-a"]

    def submit(self):
        self.client.force_login(self.member)
        self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            submit_data(self.page, "Version proposée par une participante."),
        )
        self.client.logout()
        page = WikiPage.objects.get(pk=self.page.pk)
        state = page.current_workflow_state
        self.assertIsNotNone(state, "the participant's submission started no workflow")
        return page, state.current_task_state

    def test_the_submission_waits_for_the_workspace_coordinators(self):
        page, task_state = self.submit()
        task = task_state.task.specific
        access = WorkspaceAccess.objects.get(workspace_key=self.world.workspace_a.translation_key)
        self.assertEqual(list(task.groups.all()), [access.managers_group])

    def test_the_coordinator_may_approve_the_submission(self):
        page, task_state = self.submit()
        actions = [name for name, *_ in task_state.task.specific.get_actions(page, self.coordinator)]
        self.assertIn("approve", actions)

    def test_a_member_of_another_workspace_may_not_approve_it(self):
        page, task_state = self.submit()
        self.assertEqual(task_state.task.specific.get_actions(page, self.world.users["member-b"]), [])

    def test_approving_publishes_the_participants_text(self):
        page, task_state = self.submit()
        self.client.force_login(self.coordinator)
        self.client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[page.pk, "approve", task_state.pk],
            ),
            {"comment": ""},
        )
        page = WikiPage.objects.get(pk=self.page.pk)
        self.assertIn("Version proposée par une participante.", str(page.body))
        self.assertTrue(page.live)
