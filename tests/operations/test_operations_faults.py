"""Faults: a lost database gives a translated 503 and the next request works; a full disk
during an upload leaves no half-written file and no orphan record; a crash during a save
loses no committed revision."""

import errno
import json
import os
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.backends.utils import CursorWrapper
from django.db.utils import OperationalError
from django.test import Client, TestCase
from wagtail.documents import get_document_model

from wiki.factories import SuperuserFactory, UserFactory, build_site_tree


def failing_execute(original):
    def execute(self, sql, params=None):
        if "wiki_workspaceindexpage" in sql or "wagtailcore_page" in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return original(self, sql, params)

    return execute


class DatabaseUnavailableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.user = UserFactory()

    def setUp(self):
        self.client = Client(raise_request_exception=False)
        self.client.force_login(self.user)

    def get_while_the_database_fails(self, path):
        with mock.patch.object(CursorWrapper, "execute", failing_execute(CursorWrapper.execute)):
            return self.client.get(path)

    def test_lost_database_answers_503_in_french(self):
        response = self.get_while_the_database_fails("/fr/espaces/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "Service temporairement indisponible", status_code=503)
        self.assertEqual(response["Retry-After"], "30")

    def test_lost_database_answers_503_in_english(self):
        response = self.get_while_the_database_fails("/en/workspaces/")
        self.assertContains(response, "Service temporarily unavailable", status_code=503)

    def test_503_page_shows_no_stack_trace(self):
        response = self.get_while_the_database_fails("/fr/espaces/")
        self.assertNotContains(response, "Traceback", status_code=503)
        self.assertNotContains(response, "OperationalError", status_code=503)

    def test_next_request_after_the_database_returns_works(self):
        self.get_while_the_database_fails("/fr/espaces/")
        self.assertEqual(self.client.get("/fr/espaces/").status_code, 200)

    def test_other_errors_still_answer_the_500_page(self):
        with mock.patch("wiki.views.pages.wagtail_serve", side_effect=RuntimeError("boom")):
            response = self.client.get("/fr/espaces/")
        self.assertEqual(response.status_code, 500)


class FullDiskFile:
    """A file object that takes a few bytes, then fails as a full disk does."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data):
        self.handle.write(data[:3])
        self.handle.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


def full_disk_fdopen(original):
    return lambda fd, *args, **kwargs: FullDiskFile(original(fd, *args, **kwargs))


class FullDiskUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        cls.admin = SuperuserFactory()

    def files(self):
        return {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()}

    def upload(self, client):
        return client.post(
            "/admin/documents/multiple/add/",
            {"files[]": SimpleUploadedFile("rapport.txt", b"contenu du rapport", content_type="text/plain")},
            headers={"x-requested-with": "XMLHttpRequest"},
        )

    def test_upload_on_a_full_disk_leaves_no_record_and_no_partial_file(self):
        before = self.files()
        client = Client(raise_request_exception=False)
        client.force_login(self.admin)
        with mock.patch("operations.storage.os.fdopen", full_disk_fdopen(os.fdopen)):
            response = self.upload(client)
        self.assertEqual(response.status_code, 500)
        self.assertFalse(get_document_model().objects.exists())
        self.assertEqual(self.files() - before, set())

    def test_upload_after_the_disk_is_freed_is_stored_whole(self):
        client = Client()
        client.force_login(self.admin)
        self.assertTrue(json.loads(self.upload(client).content)["success"])
        document = get_document_model().objects.get()
        self.assertEqual((settings.MEDIA_ROOT / document.file.name).read_bytes(), b"contenu du rapport")


class CrashDuringSaveTests(TestCase):
    """A crash in the middle of saving a page (here: an error raised just after the new
    revision's row is written, as a killed process or a failing signal receiver would) rolls the
    whole request back: the revision committed before is intact and still the live one."""

    @classmethod
    def setUpTestData(cls):
        from wiki.factories import WikiPageFactory, WorkspacePageFactory

        tree = build_site_tree()
        cls.admin = SuperuserFactory()
        workspace = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr)
        cls.page = WikiPageFactory(parent=workspace, locale=tree.fr, title="Plan d'action")
        cls.page.body = json.dumps([{"type": "heading", "value": "Version engagée"}])
        cls.page.save_revision(user=cls.admin).publish()

    def edit(self, client, heading):
        from wagtail.test.utils.form_data import nested_form_data, streamfield

        data = nested_form_data(
            {
                "title": "Plan d'action",
                "slug": self.page.slug,
                "body": streamfield([("heading", heading)]),
                "tags": "",
                "action-publish": "publish",
            }
        )
        return client.post(f"/admin/pages/{self.page.pk}/edit/", data)

    def test_a_crash_while_saving_keeps_the_committed_revision_live_and_whole(self):
        from django.db.models.signals import post_save
        from wagtail.models import Revision

        from wiki.models import WikiPage

        revisions_before = list(
            Revision.page_revisions.filter(object_id=str(self.page.pk)).values_list("pk", flat=True)
        )

        def crash(sender, instance, **kwargs):
            raise RuntimeError("process killed mid-save")

        client = Client(raise_request_exception=False)
        client.force_login(self.admin)
        post_save.connect(crash, sender=Revision)
        try:
            response = self.edit(client, "Version à moitié enregistrée")
        finally:
            post_save.disconnect(crash, sender=Revision)
        self.assertEqual(response.status_code, 500)
        revisions_after = list(
            Revision.page_revisions.filter(object_id=str(self.page.pk)).values_list("pk", flat=True)
        )
        self.assertEqual(revisions_after, revisions_before)
        page = WikiPage.objects.get(pk=self.page.pk)
        self.assertEqual(page.live_revision_id, revisions_before[-1])
        self.assertIn("Version engagée", json.dumps(list(page.body.raw_data), ensure_ascii=False))
        self.assertNotIn("moitié", json.dumps(list(page.body.raw_data), ensure_ascii=False))

    def test_the_next_save_after_the_crash_works(self):
        client = Client()
        client.force_login(self.admin)
        self.assertEqual(self.edit(client, "Version suivante").status_code, 302)
        from wiki.models import WikiPage

        self.assertIn(
            "Version suivante",
            json.dumps(list(WikiPage.objects.get(pk=self.page.pk).body.raw_data), ensure_ascii=False),
        )
