"""Documents uploaded in the Wagtail admin (library, multiple uploader, chooser) get the same
content checks as a deliverable's files: a file is judged by its bytes, not its name."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from test_repository_upload import ELF, HTML, SVG, zip_bomb_docx
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from repository.samples import make_pdf
from wiki.factories import SuperuserFactory

Document = get_document_model()


class AdminDocumentUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = SuperuserFactory(username="doc-admin")
        cls.collection = Collection.get_first_root_node()

    def setUp(self):
        self.client.force_login(self.admin)
        self.count_before = Document.objects.count()

    def add(self, name, content, title="Rapport annuel"):
        return self.client.post(
            reverse("wagtaildocs:add"),
            {"title": title, "collection": self.collection.pk, "file": SimpleUploadedFile(name, content)},
        )

    def assertRefused(self, response, message):
        self.assertEqual(response.status_code, 200)  # the form is shown again, with its error
        self.assertContains(response, message)
        # What the person typed is kept; nothing was stored.
        self.assertContains(response, 'value="Rapport annuel"')
        self.assertEqual(Document.objects.count(), self.count_before)

    def test_a_renamed_executable_is_refused_in_the_document_library(self):
        self.assertRefused(self.add("rapport.pdf", ELF), "Types acceptés")

    def test_an_html_file_with_script_named_txt_is_refused_in_the_document_library(self):
        self.assertRefused(self.add("notes.txt", HTML), "text/html")

    def test_an_svg_with_script_named_pdf_is_refused_in_the_document_library(self):
        self.assertRefused(self.add("logo.pdf", SVG), "image/svg+xml")

    @override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024, REPOSITORY_MAX_UPLOAD_SIZE=1024)
    def test_an_over_size_file_is_refused_in_the_document_library(self):
        self.assertRefused(self.add("gros.txt", b"a" * 2048), "1,0")

    def test_a_malformed_pdf_is_refused_as_damaged_in_the_document_library(self):
        broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nstream\n\x00\xff garbage"
        self.assertRefused(self.add("casse.pdf", broken), "endommagé")

    def test_a_zip_bomb_docx_is_refused_in_the_document_library(self):
        self.assertRefused(self.add("bombe.docx", zip_bomb_docx()), "refusé")

    def test_the_error_is_in_english_in_the_english_admin(self):
        profile = UserProfile.get_for_user(self.admin)
        profile.preferred_language = "en"
        profile.save()
        with translation.override("en"):
            response = self.add("rapport.pdf", ELF)
        self.assertContains(response, "Accepted:")

    def test_a_valid_pdf_is_accepted_in_the_document_library(self):
        response = self.add("rapport.pdf", make_pdf("Rapport annuel", ["Bilan de l'année"]))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Document.objects.filter(title="Rapport annuel").exists())

    def test_a_one_word_text_file_is_accepted_as_plain_text(self):
        response = self.add("mot.txt", b"x")
        self.assertEqual(response.status_code, 302)

    def test_a_binary_file_named_txt_is_refused(self):
        self.assertRefused(self.add("notes.txt", b"\x00\x01\x02\xff"), "Types acceptés")

    def test_renaming_a_document_without_a_new_file_keeps_its_file(self):
        self.add("rapport.pdf", make_pdf("Rapport annuel"))
        document = Document.objects.get(title="Rapport annuel")
        stored = document.file.name
        response = self.client.post(
            reverse("wagtaildocs:edit", args=[document.pk]),
            {"title": "Rapport annuel 2026", "collection": self.collection.pk},
        )
        self.assertEqual(response.status_code, 302)
        document.refresh_from_db()
        self.assertEqual((document.title, document.file.name), ("Rapport annuel 2026", stored))

    def test_replacing_a_document_file_with_an_executable_is_refused(self):
        self.add("rapport.pdf", make_pdf("Rapport annuel"))
        document = Document.objects.get(title="Rapport annuel")
        stored = document.file.name
        response = self.client.post(
            reverse("wagtaildocs:edit", args=[document.pk]),
            {
                "title": "Rapport annuel",
                "collection": self.collection.pk,
                "file": SimpleUploadedFile("rapport.pdf", ELF),
            },
        )
        self.assertContains(response, "Types acceptés")
        document.refresh_from_db()
        self.assertEqual(document.file.name, stored)

    def test_the_multiple_uploader_refuses_a_renamed_executable_with_its_message(self):
        response = self.client.post(
            reverse("wagtaildocs:add_multiple"),
            {"collection": self.collection.pk, "files[]": SimpleUploadedFile("rapport.pdf", ELF)},
        )
        data = json.loads(response.content)
        self.assertFalse(data["success"])
        self.assertIn("Types acceptés", data["error_message"])
        self.assertEqual(Document.objects.count(), self.count_before)

    def test_the_multiple_uploader_accepts_a_valid_pdf(self):
        response = self.client.post(
            reverse("wagtaildocs:add_multiple"),
            {"collection": self.collection.pk, "files[]": SimpleUploadedFile("bilan.pdf", make_pdf("Bilan"))},
        )
        self.assertTrue(json.loads(response.content)["success"])
        self.assertEqual(Document.objects.count(), self.count_before + 1)

    def test_the_chooser_upload_refuses_an_html_file(self):
        response = self.client.post(
            reverse("wagtaildocs_chooser:create"),
            {
                "document-chooser-upload-title": "Notes",
                "document-chooser-upload-collection": self.collection.pk,
                "document-chooser-upload-file": SimpleUploadedFile("notes.txt", HTML),
            },
        )
        self.assertContains(response, "text/html")
        self.assertEqual(Document.objects.count(), self.count_before)
