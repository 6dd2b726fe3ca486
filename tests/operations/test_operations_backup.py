"""Backups that restore: the demo site survives backup → empty installation → restore intact."""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase, override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from licensing.models import Licence, LicenceAcceptance
from operations.backup import MANIFEST, installation_is_empty, verify_archive, write_backup
from wiki.factories import UserFactory, build_site_tree


def serialised(queryset_or_objects):
    rows = serializers.serialize("python", queryset_or_objects)
    for row in rows:
        # Many-to-many lists come in no defined order (PostgreSQL): compare them as sets.
        for name, value in row["fields"].items():
            if isinstance(value, list):
                row["fields"][name] = sorted(value, key=str)
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)


def file_hashes(media_root):
    root = Path(media_root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def snapshot(media_root):
    """Everything the round trip must keep, in a form independent of the database engine."""
    return {
        "pages": serialised(Page.objects.order_by("path")),
        "specific pages": serialised(p.specific for p in Page.objects.order_by("path")),
        "revisions": serialised(Revision.objects.order_by("pk")),
        "documents": serialised(get_document_model().objects.order_by("pk")),
        "images": serialised(get_image_model().objects.order_by("pk")),
        "users": serialised(get_user_model().objects.order_by("pk")),
        "acceptances": serialised(LicenceAcceptance.objects.order_by("pk")),
        "document files": {
            d.file.name: hashlib.sha256(Path(media_root, d.file.name).read_bytes()).hexdigest()
            for d in get_document_model().objects.all()
        },
        "all files": file_hashes(media_root),
    }


@pytest.mark.isolated
class DemoRoundTripTests(TransactionTestCase):
    # Put back the migrations' own rows (root page, locales...) for the tests that follow.
    serialized_rollback = True

    def test_demo_site_is_identical_after_backup_and_restore_into_an_empty_installation(self):
        with tempfile.TemporaryDirectory() as media, tempfile.TemporaryDirectory() as work:
            with override_settings(MEDIA_ROOT=Path(media)):
                call_command("load_demo", stdout=io.StringIO())
                acceptance = self.make_acceptance()
                before = snapshot(media)
                archive = Path(work) / "backup.tar"
                call_command("backup", str(archive), stdout=io.StringIO())

            # An empty installation: nothing in the database, nothing in a new media folder.
            call_command("flush", interactive=False, verbosity=0)
            with tempfile.TemporaryDirectory() as new_media, override_settings(MEDIA_ROOT=Path(new_media)):
                self.assertTrue(installation_is_empty())
                call_command("restore", str(archive), stdout=io.StringIO())
                after = snapshot(new_media)

        self.assertGreater(len(before["pages"]), 10)
        self.assertGreater(len(before["revisions"]), 10)
        self.assertGreater(len(before["document files"]), 0)
        self.assertIn(acceptance.pk, [a.pk for a in LicenceAcceptance.objects.all()])
        for key in before:
            with self.subTest(key=key):
                self.assertEqual(after[key], before[key])

    def make_acceptance(self):
        licence = Licence.objects.first()
        user = get_user_model().objects.filter(is_superuser=False).first()
        return LicenceAcceptance.objects.create(
            licence=licence,
            licence_key=licence.translation_key,
            version=getattr(licence, "version", 1) or 1,
            user=user,
            object_identifier="deliverable:1",
            object_title="Livrable",
            language="fr",
            ip_address="127.0.0.0",
        )


class BackupArchiveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_site_tree()
        UserFactory()

    def setUp(self):
        self.work = Path(tempfile.mkdtemp())
        self.media = Path(tempfile.mkdtemp())
        (self.media / "documents").mkdir()
        (self.media / "documents" / "compte-rendu.txt").write_bytes(b"Compte rendu")

    def backup(self):
        archive = self.work / "backup.tar"
        write_backup(archive, media_root=self.media)
        return archive

    def test_manifest_lists_the_checksum_of_every_file(self):
        manifest = verify_archive(self.backup())
        self.assertEqual(
            manifest["files"]["media/documents/compte-rendu.txt"],
            hashlib.sha256(b"Compte rendu").hexdigest(),
        )
        self.assertIn("database.json", manifest["files"])

    def tampered(self, name, data):
        source = self.backup()
        target = self.work / "tampered.tar"
        with tarfile.open(source) as original, tarfile.open(target, "w") as copy:
            for member in original.getmembers():
                content = original.extractfile(member).read()
                if member.name == name:
                    content = data
                info = tarfile.TarInfo(member.name)
                info.size = len(content)
                copy.addfile(info, io.BytesIO(content))
        return target

    def test_restore_refuses_an_archive_whose_file_was_altered(self):
        archive = self.tampered("media/documents/compte-rendu.txt", b"Compte rendu falsifie")
        with self.assertRaisesMessage(CommandError, "Checksum mismatch: media/documents/compte-rendu.txt"):
            call_command("restore", str(archive), "--verify-only", stdout=io.StringIO())

    def test_restore_refuses_an_archive_whose_database_was_altered(self):
        archive = self.tampered("database.json", b"[]")
        with self.assertRaisesMessage(CommandError, "Checksum mismatch: database.json"):
            call_command("restore", str(archive), stdout=io.StringIO())

    def test_restore_refuses_an_archive_with_a_path_outside_the_media_folder(self):
        archive = self.backup()
        with tarfile.open(archive, "a") as handle:
            info = tarfile.TarInfo("media/../../etc/evil")
            info.size = 1
            handle.addfile(info, io.BytesIO(b"x"))
        with self.assertRaisesMessage(CommandError, "Unsafe path in archive"):
            call_command("restore", str(archive), "--verify-only", stdout=io.StringIO())

    def test_restore_refuses_to_overwrite_an_installation_that_holds_content(self):
        archive = self.backup()
        with self.assertRaisesMessage(CommandError, "restore into an empty one"):
            call_command("restore", str(archive), stdout=io.StringIO())
        self.assertTrue(get_user_model().objects.exists())

    def test_backup_written_in_full_or_not_at_all(self):
        archive = self.backup()
        self.assertFalse(Path(str(archive) + ".partial").exists())
        with tarfile.open(archive) as handle:
            self.assertIn(MANIFEST, handle.getnames())
