"""Checking, describing and reading the files of deliverables.

Uploads are judged by their content (libmagic), not their name: only the types in
`ALLOWED_TYPES` pass, with an extension that matches. Zip-based office files are checked for
entry count and uncompressed size before anything opens them. Text is extracted in a separate
process with memory, CPU-time and wall-clock limits (`repository.extractor`), so a hostile or
malformed file can at worst yield no text.
"""

import hashlib
import json
import subprocess
import sys
import zipfile

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail import hooks

CHUNK_SIZE = 64 * 1024

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# Detected MIME type -> extensions a file of that type may carry.
ALLOWED_TYPES = {
    "application/pdf": {"pdf"},
    DOCX: {"docx"},
    XLSX: {"xlsx"},
    PPTX: {"pptx"},
    ODT: {"odt"},
    ODS: {"ods"},
    ODP: {"odp"},
    "text/plain": {"txt", "csv"},
    "text/csv": {"csv", "txt"},
}
ZIP_TYPES = {DOCX, XLSX, PPTX, ODT, ODS, ODP}
# libmagic names some office files only by their container; the extension then decides.
CONTAINER_TYPES = {"application/zip", "application/octet-stream", "application/x-zip-compressed"}
ZIP_EXTENSIONS = {"docx": DOCX, "xlsx": XLSX, "pptx": PPTX, "odt": ODT, "ods": ODS, "odp": ODP}

MAX_ZIP_ENTRIES = 2000
EXTRACT_TIMEOUT = 20  # seconds of wall clock for one file


def max_upload_size():
    return getattr(settings, "REPOSITORY_MAX_UPLOAD_SIZE", settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)


def max_uncompressed_size():
    return getattr(settings, "REPOSITORY_MAX_UNCOMPRESSED_SIZE", 200 * 1024 * 1024)


def sniff(fileobj):
    """The MIME type of a file from its first bytes; the file position is restored."""
    position = fileobj.tell()
    head = fileobj.read(8192)
    fileobj.seek(position)
    return magic.from_buffer(head, mime=True)


def describe(fileobj):
    """(size, MIME type, SHA-256 hex) of a stored or uploaded file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    fileobj.open("rb")
    try:
        fileobj.seek(0)
        mime = sniff(fileobj)
        while chunk := fileobj.read(CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
    finally:
        fileobj.close()
    return size, mime, digest.hexdigest()


def check_zip(fileobj):
    """Refuse archives with too many entries or too much uncompressed content (zip bombs)."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(_("This file is damaged: it cannot be opened."), code="damaged") from error
    finally:
        fileobj.seek(0)
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ValidationError(
            _("This file holds too many parts (%(count)s) to be safe to open."),
            code="zip_bomb",
            params={"count": len(entries)},
        )
    if sum(e.file_size for e in entries) > max_uncompressed_size():
        raise ValidationError(
            _("This file would expand to more than %(size)s once opened: it is refused."),
            code="zip_bomb",
            params={"size": filesizeformat(max_uncompressed_size())},
        )


def _is_plain_text(fileobj):
    position = fileobj.tell()
    head = fileobj.read(8192)
    fileobj.seek(position)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(char.isprintable() or char in "\t\r\n" for char in text)


def validate_upload(uploaded):
    """Check an uploaded file; return its MIME type or raise a translated `ValidationError`."""
    if uploaded.size > max_upload_size():
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_upload_size())},
        )
    if uploaded.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    uploaded.seek(0)
    mime = sniff(uploaded)
    if mime in CONTAINER_TYPES and extension in ZIP_EXTENSIONS:
        mime = ZIP_EXTENSIONS[extension]
    elif mime == "application/octet-stream" and extension in ALLOWED_TYPES["text/plain"]:
        # libmagic cannot name a very short text (one word); printable UTF-8 is plain text.
        mime = "text/plain" if _is_plain_text(uploaded) else mime
    allowed = sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts})
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "The content of this file is of type %(type)s, which the repository does not accept. "
                "Accepted: %(allowed)s."
            ),
            code="type",
            params={"type": mime, "allowed": ", ".join(allowed)},
        )
    if extension not in ALLOWED_TYPES[mime]:
        raise ValidationError(
            _("The file name ends in “.%(extension)s” but its content is of type %(type)s."),
            code="extension",
            params={"extension": extension, "type": mime},
        )
    if mime in ZIP_TYPES:
        check_zip(uploaded)
    for scan in hooks.get_hooks("cop_scan_upload"):  # virus scan (operations.scan), fails closed
        scan(uploaded)
    return mime


def extract_text(path, mime):
    """Extracted text of the file at `path`, and an error code ("" when it went well).

    Runs `repository.extractor` in a child process with hard limits; a time-out or a crash is
    reported as an error, never raised.
    """
    try:
        completed = subprocess.run(  # noqa: S603 - our own module; the path is an argument, no shell
            [sys.executable, "-m", "repository.extractor", str(path), mime],
            capture_output=True,
            timeout=EXTRACT_TIMEOUT,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "", "timeout"
    try:
        result = json.loads(completed.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return "", "crashed"
    return result.get("text", ""), result.get("error", "")


def extract_uploaded(uploaded, mime):
    """(text, error) of an uploaded file, through its temporary path or a temporary copy."""
    import os
    import tempfile

    if hasattr(uploaded, "temporary_file_path"):
        return extract_text(uploaded.temporary_file_path(), mime)
    with tempfile.NamedTemporaryFile(suffix=os.path.splitext(uploaded.name)[1]) as temporary:
        uploaded.seek(0)
        for chunk in uploaded.chunks():
            temporary.write(chunk)
        temporary.flush()
        uploaded.seek(0)
        return extract_text(temporary.name, mime)


def extraction_error_message(code):
    messages = {
        "damaged": _("This file is damaged: it cannot be read."),
        "timeout": _("Reading this file took too long."),
        "crashed": _("This file could not be read."),
        "too_big": _("This file expands to too much content to be read."),
    }
    return messages.get(code, messages["crashed"])


def _stored_path(field_file):
    try:
        return field_file.path
    except NotImplementedError:  # pragma: no cover - remote storage: read through a temp copy
        return None


def extract_stored(deliverable_file):
    """(text, error) of a stored file, through a temporary copy when storage has no paths."""
    import tempfile

    path = _stored_path(deliverable_file.document.file)
    if path is not None:
        return extract_text(path, deliverable_file.mime_type)
    with tempfile.NamedTemporaryFile() as copy, deliverable_file.document.file.open("rb") as source:
        while chunk := source.read(CHUNK_SIZE):
            copy.write(chunk)
        copy.flush()
        return extract_text(copy.name, deliverable_file.mime_type)


# Sent with `page_id` when `refresh_files` changed a deliverable's file text with an UPDATE
# (no post_save): the platform's search index (search app) re-indexes the deliverable.
files_text_changed = Signal()


def refresh_files(page, force=False):
    """Describe and extract the files of `page` that have not been yet; update its search text."""
    from django.utils import timezone

    from .models import FILES_TEXT_LIMIT, DeliverableFile, DeliverablePage

    changed = False
    for deliverable_file in DeliverableFile.objects.filter(page=page).select_related("document"):
        updates = {}
        if force or not deliverable_file.sha256:
            size, mime, sha256 = describe(deliverable_file.document.file)
            updates.update(size=size, mime_type=mime, sha256=sha256)
            deliverable_file.mime_type = mime
        if force or deliverable_file.text_extracted_at is None:
            text, _error = extract_stored(deliverable_file)
            updates.update(text=text, text_extracted_at=timezone.now())
        if updates:
            DeliverableFile.objects.filter(pk=deliverable_file.pk).update(**updates)
            changed = True
    if changed:
        texts = DeliverableFile.objects.filter(page=page).exclude(text="").values_list("text", flat=True)
        files_text = "\n\n".join(texts)[:FILES_TEXT_LIMIT]
        DeliverablePage.objects.filter(pk=page.pk).update(files_text=files_text)
        from wagtail.search.index import insert_or_update_object

        insert_or_update_object(DeliverablePage.objects.get(pk=page.pk))
        files_text_changed.send(sender=DeliverablePage, page_id=page.pk)
    return changed
