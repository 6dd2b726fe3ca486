"""Downloading deliverable files: streamed in bounded chunks, HTTP Range, safe headers, and
COUNTER-style counting (double clicks once, robots never)."""

import os
import tracemalloc
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.http import StreamingHttpResponse
from django.test import TestCase
from django.urls import reverse

from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverableFile, MonthlyStatistic
from repository.views import STREAM_CHUNK
from wiki.factories import build_site_tree

BIG = 200 * 1024 * 1024


class DownloadFixture:
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.repository = RepositoryIndexPageFactory(parent=cls.tree.home_fr, locale=cls.tree.fr)
        cls.deliverable = DeliverablePageFactory(parent=cls.repository, locale=cls.tree.fr)
        cls.content = bytes(range(256)) * 40  # 10 240 bytes
        cls.small = DeliverableFile.objects.create(
            page=cls.deliverable,
            document=DocumentFactory(title="Rapport", file=ContentFile(cls.content, name="donnees.csv")),
        )

    def setUp(self):
        cache.clear()

    def url(self, deliverable_file):
        return reverse("deliverable_file", args=[deliverable_file.pk])


class RangeAndHeaderTests(DownloadFixture, TestCase):
    def test_whole_file_is_streamed_as_an_attachment_with_its_length(self):
        response = self.client.get(self.url(self.small))
        self.assertIsInstance(response, StreamingHttpResponse)
        self.assertEqual(response["Content-Length"], str(len(self.content)))
        self.assertEqual(response["Accept-Ranges"], "bytes")
        self.assertEqual(b"".join(response.streaming_content), self.content)

    def test_a_range_request_gets_206_and_exactly_those_bytes(self):
        response = self.client.get(self.url(self.small), HTTP_RANGE="bytes=100-199")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(response["Content-Range"], f"bytes 100-199/{len(self.content)}")
        self.assertEqual(b"".join(response.streaming_content), self.content[100:200])

    def test_an_open_ended_range_reaches_the_end_of_the_file(self):
        response = self.client.get(self.url(self.small), HTTP_RANGE="bytes=10000-")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(b"".join(response.streaming_content), self.content[10000:])

    def test_a_suffix_range_gets_the_last_bytes(self):
        response = self.client.get(self.url(self.small), HTTP_RANGE="bytes=-40")
        self.assertEqual(b"".join(response.streaming_content), self.content[-40:])

    def test_an_unsatisfiable_range_gets_416_with_the_size(self):
        response = self.client.get(self.url(self.small), HTTP_RANGE="bytes=999999-")
        self.assertEqual(response.status_code, 416)
        self.assertEqual(response["Content-Range"], f"bytes */{len(self.content)}")

    def test_file_name_with_accents_is_sent_in_utf8_per_rfc_5987(self):
        document = DocumentFactory(title="Été", file=ContentFile(b"texte\n", name="rapport-d-ete.txt"))
        accented = DeliverableFile.objects.create(page=self.deliverable, document=document)
        os.rename(document.file.path, document.file.path.replace("rapport-d-ete", "rapport-d-été"))
        document.file.name = document.file.name.replace("rapport-d-ete", "rapport-d-été")
        document.save()
        response = self.client.get(self.url(accented))
        self.assertIn("filename*=utf-8''rapport-d-%C3%A9t%C3%A9.txt", response["Content-Disposition"])
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))

    def test_safety_headers_forbid_sniffing_and_running_anything(self):
        response = self.client.get(self.url(self.small))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", response["Content-Security-Policy"])

    def test_an_html_file_already_stored_is_never_served_as_html(self):
        document = DocumentFactory(file=ContentFile(b"<html><script>alert(1)</script></html>", name="x.html"))
        stored = DeliverableFile.objects.create(page=self.deliverable, document=document)
        self.assertEqual(stored.mime_type, "text/html")
        response = self.client.get(self.url(stored))
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))


class LargeFileTests(DownloadFixture, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A sparse 200 MB file, created in the test media directory in a blink.
        name = f"documents/grand-{uuid.uuid4().hex}.pdf"
        path = os.path.join(settings.MEDIA_ROOT, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"%PDF-1.4\n")
            handle.truncate(BIG)
        document = DocumentFactory(title="Grand fichier")
        document.file.name = name
        document.save()
        cls.big = DeliverableFile.objects.create(
            page=cls.deliverable, document=document, size=BIG, mime_type="application/pdf", sha256="0" * 64
        )

    def test_a_200_mb_file_streams_in_bounded_chunks_with_bounded_memory(self):
        response = self.client.get(self.url(self.big))
        self.assertEqual(response["Content-Length"], str(BIG))
        total = biggest = 0
        tracemalloc.start()
        try:
            for chunk in response.streaming_content:
                total += len(chunk)
                biggest = max(biggest, len(chunk))
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertEqual(total, BIG)
        self.assertLessEqual(biggest, STREAM_CHUNK)
        self.assertLess(peak, 4 * 1024 * 1024)

    def test_a_range_near_the_end_of_a_200_mb_file_is_served_alone(self):
        response = self.client.get(self.url(self.big), HTTP_RANGE=f"bytes={BIG - 10}-")
        self.assertEqual(response.status_code, 206)
        self.assertEqual(response["Content-Range"], f"bytes {BIG - 10}-{BIG - 1}/{BIG}")
        self.assertEqual(b"".join(response.streaming_content), b"\0" * 10)


class CountingTests(DownloadFixture, TestCase):
    def downloads(self):
        row = MonthlyStatistic.objects.filter(translation_key=self.deliverable.translation_key).first()
        return row.downloads if row else 0

    def test_a_download_is_counted_in_this_month(self):
        self.client.get(self.url(self.small), HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
        self.assertEqual(self.downloads(), 1)

    def test_a_double_click_within_30_seconds_counts_once(self):
        for _click in range(2):
            self.client.get(self.url(self.small), HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
        self.assertEqual(self.downloads(), 1)

    def test_a_second_download_after_30_seconds_counts_again(self):
        self.client.get(self.url(self.small), HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
        cache.clear()  # what 30 seconds do to the double-click memory
        self.client.get(self.url(self.small), HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
        self.assertEqual(self.downloads(), 2)

    def test_known_robots_are_not_counted(self):
        for agent in (
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "curl/8.5.0",
            "python-requests/2.32",
        ):
            self.client.get(self.url(self.small), HTTP_USER_AGENT=agent)
        self.assertEqual(self.downloads(), 0)

    def test_range_requests_of_a_download_in_progress_are_not_counted_again(self):
        self.client.get(self.url(self.small), HTTP_USER_AGENT="Mozilla/5.0", HTTP_RANGE="bytes=0-99")
        self.assertEqual(self.downloads(), 0)

    def test_page_views_are_counted_apart_from_downloads(self):
        self.client.get(self.deliverable.url, HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
        row = MonthlyStatistic.objects.get(translation_key=self.deliverable.translation_key)
        self.assertEqual((row.views, row.downloads), (1, 0))

    def test_the_item_page_shows_this_months_counts(self):
        MonthlyStatistic.objects.create(
            translation_key=self.deliverable.translation_key,
            month=MonthlyStatistic.this_month(),
            views=17,
            downloads=923,
        )
        response = self.client.get(self.deliverable.url, HTTP_USER_AGENT="curl/8")
        self.assertContains(response, "<td>923</td>", html=False)
        self.assertContains(response, "<svg")
