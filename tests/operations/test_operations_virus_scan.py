"""Virus scanning of uploads with ClamAV, failing closed.

Signature downloads are out of reach here, so each test makes its own signature database: an
MD5 signature (.hdb) of a harmless "infected" file, which clamscan matches like any virus. The
scan is exercised through the real upload paths: a deliverable's file, the admin's document
library and its image library.

ClamAV comes from Debian (`scripts/test` installs it). The live tests are skipped only when
clamscan is missing AND COP_SKIP_CLAMAV=1 says so, like the browser tests.
"""

import hashlib
import io
import os
import shutil
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from operations import scan
from repository.factories import DeliverablePageFactory, RepositoryIndexPageFactory
from repository.models import DeliverableFile, DeliverablePage
from wiki.factories import SuperuserFactory, build_access_matrix

Document = get_document_model()
WagtailImage = get_image_model()

CLAMSCAN = shutil.which("clamscan")
if not CLAMSCAN and os.environ.get("COP_SKIP_CLAMAV") == "1":
    pytestmark = pytest.mark.skip(reason="clamscan is not installed and COP_SKIP_CLAMAV=1")

INFECTED_TEXT = b"COP-TEST-SIGNATURE: a harmless file that our own test signature flags.\n"
CLEAN_TEXT = b"Compte rendu de la rencontre du 12 mars: rien de particulier.\n"


def png_bytes(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "PNG")
    return buffer.getvalue()


INFECTED_PNG = png_bytes((200, 0, 0))
CLEAN_PNG = png_bytes((0, 120, 0))


@pytest.fixture(scope="module")
def signatures(tmp_path_factory):
    """A ClamAV database with MD5 signatures of the two "infected" test files."""
    folder = tmp_path_factory.mktemp("clamav-db")
    lines = [
        f"{hashlib.md5(content).hexdigest()}:{len(content)}:{name}"  # noqa: S324 - ClamAV's format
        for name, content in [("Cop.Test.Text", INFECTED_TEXT), ("Cop.Test.Image", INFECTED_PNG)]
    ]
    (folder / "cop-test.hdb").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def slow_scanner(tmp_path_factory):
    """A "scanner" that never answers in time."""
    script = tmp_path_factory.mktemp("slow-scanner") / "slow-clamscan"
    script.write_text("#!/bin/sh\nsleep 10\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.fixture(autouse=True)
def _scanner_paths(request, signatures, slow_scanner):
    if request.instance is not None:
        request.instance.signatures = signatures
        request.instance.slow_scanner = slow_scanner


class ScanSettings:
    def live_clamav(self, **extra):
        """Settings for ClamAV with the test signatures (clamscan, no daemon needed)."""
        return override_settings(
            VIRUS_SCAN="clamav", CLAMAV_COMMAND="clamscan", CLAMAV_DATABASE=str(self.signatures), **extra
        )


class DeliverableFileScanTests(ScanSettings, TestCase):
    @classmethod
    def setUpTestData(cls):
        matrix = build_access_matrix()
        repository = RepositoryIndexPageFactory(parent=matrix.tree.home_fr, locale=matrix.tree.fr)
        cls.deliverable = DeliverablePageFactory(
            parent=repository,
            locale=repository.locale,
            title="Guide public",
            access_level=DeliverablePage.Access.PUBLIC,
            workspace_key=matrix.workspace_a.translation_key,
        )
        cls.coordinator = matrix.users["coordinator-a"]

    def setUp(self):
        self.client.force_login(self.coordinator)
        self.files_before = DeliverableFile.objects.count()
        self.documents_before = Document.objects.count()

    def upload(self, content, name="notes.txt"):
        url = reverse("deliverable_add_file", args=[self.deliverable.pk])
        return self.client.post(url, {"label": "Annexe", "file": SimpleUploadedFile(name, content)})

    def assertNothingStored(self):
        self.assertEqual(DeliverableFile.objects.count(), self.files_before)
        self.assertEqual(Document.objects.count(), self.documents_before)

    def test_a_file_matching_a_signature_is_refused_with_its_name(self):
        with self.live_clamav():
            response = self.upload(INFECTED_TEXT)
        self.assertContains(response, "l’analyse antivirus a détecté une menace", status_code=400)
        self.assertContains(response, "Cop.Test.Text", status_code=400)
        self.assertNothingStored()

    def test_a_clean_file_passes_the_scan_and_is_added(self):
        with self.live_clamav():
            response = self.upload(CLEAN_TEXT)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(DeliverableFile.objects.count(), self.files_before + 1)

    def test_a_missing_scanner_refuses_the_upload(self):
        with override_settings(VIRUS_SCAN="clamav", CLAMAV_COMMAND="/nonexistent/clamdscan"):
            response = self.upload(CLEAN_TEXT)
        self.assertContains(response, "l’analyse antivirus n’a pas pu être faite", status_code=400)
        self.assertNothingStored()

    def test_a_scanner_without_signatures_refuses_the_upload(self):
        empty = self.signatures.parent / "empty-db"
        empty.mkdir(exist_ok=True)
        with override_settings(VIRUS_SCAN="clamav", CLAMAV_COMMAND="clamscan", CLAMAV_DATABASE=str(empty)):
            response = self.upload(CLEAN_TEXT)
        self.assertContains(response, "l’analyse antivirus n’a pas pu être faite", status_code=400)
        self.assertNothingStored()

    def test_a_scanner_that_does_not_answer_in_time_refuses_the_upload(self):
        with override_settings(
            VIRUS_SCAN="clamav", CLAMAV_COMMAND=str(self.slow_scanner), VIRUS_SCAN_TIMEOUT=1
        ):
            response = self.upload(CLEAN_TEXT)
        self.assertContains(response, "l’analyse antivirus n’a pas pu être faite", status_code=400)
        self.assertNothingStored()

    def test_the_refusal_is_in_english_on_the_english_form(self):
        with translation.override("en"):
            url = reverse("deliverable_add_file", args=[self.deliverable.pk])
        with self.live_clamav():
            response = self.client.post(url, {"file": SimpleUploadedFile("notes.txt", INFECTED_TEXT)})
        self.assertContains(response, "the virus scan found a threat", status_code=400)

    def test_with_scanning_off_no_scanner_is_needed(self):
        with override_settings(VIRUS_SCAN="off", CLAMAV_COMMAND="/nonexistent/clamdscan"):
            response = self.upload(CLEAN_TEXT)
        self.assertEqual(response.status_code, 302)


class AdminLibraryScanTests(ScanSettings, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = SuperuserFactory(username="scan-admin")
        cls.collection = Collection.get_first_root_node()

    def setUp(self):
        self.client.force_login(self.admin)

    def add_document(self, content):
        return self.client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Procès-verbal",
                "collection": self.collection.pk,
                "file": SimpleUploadedFile("pv.txt", content),
            },
        )

    def add_image(self, content):
        return self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Logo",
                "collection": self.collection.pk,
                "file": SimpleUploadedFile("logo.png", content),
            },
        )

    def test_an_infected_document_is_refused_in_the_document_library(self):
        with self.live_clamav():
            response = self.add_document(INFECTED_TEXT)
        self.assertContains(response, "Cop.Test.Text")
        self.assertFalse(Document.objects.filter(title="Procès-verbal").exists())

    def test_a_clean_document_is_accepted_in_the_document_library(self):
        with self.live_clamav():
            response = self.add_document(CLEAN_TEXT)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Document.objects.filter(title="Procès-verbal").exists())

    def test_an_infected_image_is_refused_in_the_image_library(self):
        with self.live_clamav():
            response = self.add_image(INFECTED_PNG)
        self.assertContains(response, "Cop.Test.Image")
        self.assertFalse(WagtailImage.objects.filter(title="Logo").exists())

    def test_a_clean_image_is_accepted_in_the_image_library(self):
        with self.live_clamav():
            response = self.add_image(CLEAN_PNG)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(WagtailImage.objects.filter(title="Logo").exists())

    def test_an_image_is_refused_when_the_scanner_is_unavailable(self):
        with override_settings(VIRUS_SCAN="clamav", CLAMAV_COMMAND="/nonexistent/clamdscan"):
            response = self.add_image(CLEAN_PNG)
        self.assertContains(response, "l’analyse antivirus n’a pas pu être faite")
        self.assertFalse(WagtailImage.objects.filter(title="Logo").exists())

    def test_the_multiple_uploader_refuses_an_infected_image(self):
        with self.live_clamav():
            response = self.client.post(
                reverse("wagtailimages:add_multiple"),
                {"files[]": SimpleUploadedFile("logo.png", INFECTED_PNG), "collection": self.collection.pk},
            )
        self.assertFalse(response.json()["success"])
        self.assertEqual(WagtailImage.objects.count(), 0)


def test_an_unknown_scan_mode_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.VIRUS_SCAN = "maybe"
    with pytest.raises(ImproperlyConfigured):
        scan.scan_upload(SimpleUploadedFile("a.txt", CLEAN_TEXT))
