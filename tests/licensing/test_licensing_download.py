"""Downloads through the repository: acceptance first, then the PDF with its licence cover."""

import hashlib
import io
import re
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from licensing.factories import memorandum_licence
from licensing.models import LicenceAcceptance
from repository.factories import (
    DeliverableFileFactory,
    DeliverablePageFactory,
    DocumentFactory,
    RepositoryIndexPageFactory,
)
from wiki.factories import build_site_tree


def pdf_bytes():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Plan de mobilisation des connaissances")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class LicensedDownloadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
        cls.licence = memorandum_licence(parties=3)
        cls.page = DeliverablePageFactory(
            parent=repository, locale=tree.fr, title="Plan de MC", licence=cls.licence
        )
        document = DocumentFactory(title="Plan de MC", file=ContentFile(pdf_bytes(), name="plan.pdf"))
        cls.file = DeliverableFileFactory(page=cls.page, document=document)

    def setUp(self):
        scratch = tempfile.TemporaryDirectory()
        self.addCleanup(scratch.cleanup)
        override = override_settings(LICENSING_CACHE_DIR=Path(scratch.name))
        override.enable()
        self.addCleanup(override.disable)

    def url(self):
        return reverse("deliverable_file", args=[self.file.pk])

    def accept(self, client):
        page = client.get(self.url()).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return client.post(
            reverse("licensing:accept"), {"token": token, "accept": "yes", "csrfmiddlewaretoken": csrf}
        )

    def download(self, client):
        response = client.get(self.url())
        return b"".join(response.streaming_content) if response.streaming else response.content

    def test_download_without_acceptance_is_refused_with_the_terms_shown(self):
        response = Client().get(self.url())
        self.assertContains(response, "accepte les conditions")
        self.assertContains(response, "À des fins non commerciales seulement.")
        self.assertFalse(response.content.startswith(b"%PDF"))

    def test_forged_acceptance_without_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        page = client.get(self.url()).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        response = client.post(reverse("licensing:accept"), {"token": token, "accept": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(LicenceAcceptance.objects.exists())

    def test_after_accepting_the_pdf_comes_with_parties_logos_identifier_and_licence(self):
        client = Client(enforce_csrf_checks=True)
        self.assertRedirects(self.accept(client), self.url(), fetch_redirect_response=False)
        reader = PdfReader(io.BytesIO(self.download(client)))
        cover = reader.pages[0]
        text = cover.extract_text()
        for party in self.licence.agreement.parties():
            self.assertIn(party.name, text)
        self.assertEqual(len(cover.images), 3)
        self.assertIn(self.licence.spdx_id, text)
        self.page.refresh_from_db()
        self.assertIn(self.page.identifier, text)
        self.assertIn("Plan de mobilisation des connaissances", reader.pages[1].extract_text())

    def test_stored_original_is_unchanged_by_the_download(self):
        path = self.file.document.file.path
        before = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        client = Client(enforce_csrf_checks=True)
        self.accept(client)
        self.download(client)
        self.assertEqual(hashlib.sha256(Path(path).read_bytes()).hexdigest(), before)

    def test_changed_terms_ask_for_a_new_acceptance_before_the_next_download(self):
        client = Client(enforce_csrf_checks=True)
        self.accept(client)
        self.licence.territory = "Québec"
        self.licence.save()
        self.assertFalse(self.download(client).startswith(b"%PDF"))
