"""The English translation of a memorandum deliverable goes to the Steering Committee like the
French one: "Publish" in wagtail-localize's translation editor submits it for approval (no
refusal, nothing lost), and the committee's approval publishes it."""

from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from django.urls import reverse
from wagtail.models import GroupPagePermission, TaskState, WorkflowState

from licensing.factories import memorandum_licence
from licensing.integrity import committee_authority
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverablePage
from wiki.demo_utils import ensure_translation
from wiki.factories import build_access_matrix


class EnglishMemorandumDeliverableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.matrix = build_access_matrix()
        cls.users = cls.matrix.users
        tree = cls.matrix.tree
        cls.en = tree.en
        cls.repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.repository_en = ensure_translation(cls.repository, cls.repository.slug, {"title": "Repository"})
        cls.licence = memorandum_licence(steering_key=cls.matrix.steering_committee.translation_key)
        cls.deliverable = DeliverablePageFactory(
            parent=cls.repository, locale=tree.fr, title="Plan de MC de la CdP A", licence=cls.licence
        )
        with committee_authority():
            cls.deliverable.save_revision().publish()
        # coordinator-a edits and publishes deliverables, in each language tree.
        publishers = Group.objects.create(name="Publication du dépôt")
        publishers.permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="submit_translation"),
        )
        for page in (cls.repository, cls.repository_en):
            for codename in ("add_page", "change_page", "publish_page"):
                GroupPagePermission.objects.create(
                    group=publishers, page=page, permission=Permission.objects.get(codename=codename)
                )
        cls.users["coordinator-a"].groups.add(publishers)
        cls.users["steering"].groups.add(Group.objects.get(name="Editors"))
        # No moderation step before the committee's in these tests.
        cls.deliverable.get_workflow().workflow_tasks.exclude(
            task__content_type__model="steeringcommitteeapprovaltask"
        ).delete()

    def setUp(self):
        self.client.force_login(self.users["coordinator-a"])
        url = reverse("wagtail_localize:submit_page_translation", args=[self.deliverable.pk])
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(url, {"locales": [self.en.pk]})
        self.english = DeliverablePage.objects.get(
            translation_key=self.deliverable.translation_key, locale=self.en
        )
        self.english.get_workflow().workflow_tasks.exclude(
            task__content_type__model="steeringcommitteeapprovaltask"
        ).delete()

    def publish_in_english(self):
        """coordinator-a presses "Publish in English" in wagtail-localize's editor."""
        url = reverse("wagtailadmin_pages:edit", args=[self.english.pk])
        # wagtail-localize publishes once the transaction commits, as on the site.
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"action": "publish"})

    def test_the_english_translation_is_under_the_committee_workflow(self):
        tasks = [task.specific for task in self.english.get_workflow().tasks]
        self.assertEqual(type(tasks[-1]).__name__, "SteeringCommitteeApprovalTask")

    def test_publish_in_english_is_not_refused(self):
        response = self.publish_in_english()
        self.assertEqual(response.status_code, 302)

    def test_publish_in_english_submits_the_translation_to_the_committee(self):
        self.publish_in_english()
        self.english.refresh_from_db()
        self.assertFalse(self.english.live)
        state = WorkflowState.objects.get(object_id=str(self.english.pk))
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)

    def test_the_editor_is_told_the_translation_awaits_the_committee(self):
        response = self.publish_in_english()
        page = self.client.get(response["Location"])
        self.assertContains(page, "publiée une fois approuvée par le comité directeur")

    def test_the_committees_approval_publishes_the_english_translation(self):
        self.publish_in_english()
        state = TaskState.objects.get(status=TaskState.STATUS_IN_PROGRESS)
        self.client.force_login(self.users["steering"])
        url = reverse("wagtailadmin_pages:workflow_action", args=[self.english.pk, "approve", state.pk])
        self.client.post(url, {"comment": "Conforme."})
        self.english.refresh_from_db()
        self.assertTrue(self.english.live)
