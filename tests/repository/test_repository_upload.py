"""Adding files to a deliverable: checked by content, size-limited, refused with a clear message
and without losing anything else; accepted files are described, read and published."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from repository_world import build_repository_world, pdf_document

from repository.models import DeliverableFile
from repository.samples import make_docx, make_pdf

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x03\x00\x3e\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def zip_bomb_docx():
    """A valid-looking DOCX whose extra part expands to 300 MB of zeros (a few hundred KB packed)."""
    buffer = io.BytesIO()
    base = zipfile.ZipFile(io.BytesIO(make_docx("Bombe")))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in base.infolist():
            archive.writestr(item, base.read(item))
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _megabyte in range(300):
                part.write(chunk)
    return buffer.getvalue()


class DeliverableUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_repository_world()
        cls.deliverable = cls.world.deliverables["public"]
        cls.coordinator = cls.world.users["coordinator-a"]
        cls.bomb = zip_bomb_docx()

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.url = reverse("deliverable_add_file", args=[self.deliverable.pk])
        self.files_before = list(self.deliverable.files.values_list("pk", "sha256"))

    def upload(self, name, content, label="Annexe méthodologique"):
        return self.client.post(self.url, {"label": label, "file": SimpleUploadedFile(name, content)})

    def assertRefusedKeepingEverything(self, response, message):
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, message, status_code=400)
        # The label the person typed is still in the form.
        self.assertContains(response, 'value="Annexe méthodologique"', status_code=400)
        self.assertEqual(list(self.deliverable.files.values_list("pk", "sha256")), self.files_before)
        self.assertEqual(
            DeliverableFile.objects.filter(page=self.deliverable).count(), len(self.files_before)
        )

    def test_a_renamed_executable_is_refused(self):
        response = self.upload("rapport.pdf", ELF)
        self.assertRefusedKeepingEverything(response, "Types acceptés")

    def test_an_html_file_with_script_is_refused_even_named_txt(self):
        self.assertRefusedKeepingEverything(self.upload("notes.txt", HTML), "text/html")

    def test_an_svg_with_script_is_refused(self):
        self.assertRefusedKeepingEverything(self.upload("logo.pdf", SVG), "image/svg+xml")

    @override_settings(REPOSITORY_MAX_UPLOAD_SIZE=1024)
    def test_an_over_size_file_is_refused_with_the_limit(self):
        response = self.upload("gros.txt", b"a" * 2048)
        self.assertRefusedKeepingEverything(response, "la limite est de 1,0")

    def test_a_malformed_pdf_is_refused_as_damaged(self):
        broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nstream\n\x00\xff garbage"
        self.assertRefusedKeepingEverything(self.upload("casse.pdf", broken), "endommagé")

    def test_a_zip_bomb_docx_is_refused_before_it_is_opened(self):
        self.assertRefusedKeepingEverything(self.upload("bombe.docx", self.bomb), "occuperait plus de")

    def test_a_file_whose_name_lies_about_its_type_is_refused(self):
        response = self.upload("rapport.docx", make_pdf("Rapport"))
        self.assertRefusedKeepingEverything(response, "se termine par")

    def test_messages_are_in_english_on_the_english_form(self):
        with translation.override("en"):
            url = reverse("deliverable_add_file", args=[self.deliverable.pk])
        response = self.client.post(url, {"file": SimpleUploadedFile("rapport.pdf", ELF)})
        self.assertContains(response, "which the repository does not accept", status_code=400)

    def test_a_valid_pdf_is_added_described_read_and_published(self):
        content = make_pdf("Annexe", ["Indicateurs de suivi quinquennal"])
        response = self.upload("annexe.pdf", content)
        self.assertEqual(response.status_code, 302)
        added = self.deliverable.files.exclude(pk__in=[pk for pk, _sha in self.files_before]).get()
        self.assertEqual(added.mime_type, "application/pdf")
        self.assertEqual(added.size, len(content))
        self.assertEqual(len(added.sha256), 64)
        self.assertIn("quinquennal", added.text)
        self.deliverable.refresh_from_db()
        self.assertIn("quinquennal", self.deliverable.files_text)
        self.assertEqual(self.deliverable.files.count(), len(self.files_before) + 1)

    def test_a_valid_docx_is_added_with_its_text(self):
        response = self.upload("annexe.docx", make_docx("Annexe", ["Trajectoire de soins concertée"]))
        self.assertEqual(response.status_code, 302)
        self.deliverable.refresh_from_db()
        self.assertIn("Trajectoire de soins", self.deliverable.files_text)

    def test_a_plain_member_may_not_add_files(self):
        self.client.force_login(self.world.users["member-a"])
        self.assertEqual(self.upload("annexe.pdf", make_pdf("Annexe")).status_code, 403)

    def test_a_coordinator_of_another_workspace_may_not_add_files(self):
        from wiki.factories import MembershipFactory
        from wiki.models import Membership

        other = MembershipFactory(workspace=self.world.matrix.workspace_b, role=Membership.Role.COORDINATOR)
        self.client.force_login(other.user)
        self.assertEqual(self.upload("annexe.pdf", make_pdf("Annexe")).status_code, 403)

    def test_files_added_in_the_admin_are_described_on_publication(self):
        page = self.deliverable.get_latest_revision_as_object()
        document = pdf_document("Annexe admin", name="admin.pdf")
        page.files.add(DeliverableFile(document=document, sort_order=5))
        page.save_revision().publish()
        added = DeliverableFile.objects.get(page=self.deliverable, document=document)
        self.assertEqual(added.mime_type, "application/pdf")
        self.assertEqual(len(added.sha256), 64)
        self.assertIn("Annexe admin", added.text)
