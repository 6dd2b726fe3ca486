"""Copies of deliverable files that carry their licence, made at download time and cached.

How `repository` calls it, in its download view once access and acceptance are settled::

    from licensing import stamping

    delivered = stamping.deliver(document, licence, identifier, permanent_url, language, title)
    return FileResponse(open(delivered.path, "rb"), as_attachment=True,
                        filename=delivered.filename, content_type=delivered.content_type)

- ``stamped_pdf(document_path, licence, identifier, permanent_url, language, title="")`` → path
  of a cached PDF: a cover page (parties' names and logos, identifier, licence statement,
  summary, permanent URL) followed by the original pages, with ``dc:rights`` and the licence
  URL in the document metadata. pikepdf copies the original's pages from disk without
  decoding them; the stored original is only read.
- ``terms_zip(document_path, filename, licence, identifier, permanent_url, title="")`` → path of
  a cached zip holding the original file and a bilingual terms-and-credits text file.
- ``deliver(...)`` picks one of the two by file type; with no licence it returns the original.

The cache (``LICENSING_CACHE_DIR``, by default ``MEDIA_ROOT/licensing-cache``; never serve it
directly) is keyed by the file's SHA-256, the licence and its version, the language and the
identifier, so a change of terms or of file makes a new copy.
"""

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .attribution import credit_line, credited_parties, dc_rights, licence_page_url

CHUNK = 1024 * 1024


@dataclass
class Delivered:
    path: Path
    filename: str
    content_type: str


def cache_dir():
    directory = Path(
        getattr(settings, "LICENSING_CACHE_DIR", None) or Path(settings.MEDIA_ROOT) / "licensing-cache"
    )
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def file_sha256(path):
    """The file's checksum, read in chunks (never the whole file at once)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _cache_path(document_path, licence, identifier, permanent_url, language, suffix):
    key = "|".join(
        [
            file_sha256(document_path),
            str(licence.translation_key),
            str(licence.version),
            language,
            identifier,
            permanent_url,
        ]
    )
    return cache_dir() / (hashlib.sha256(key.encode()).hexdigest() + suffix)


def _publish_atomically(target, write):
    """Write through `write(temp_path)` then move into place: readers never see half a file."""
    handle, temp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        write(Path(temp))
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return target


def _cover_page(path, licence, identifier, permanent_url, language, title):
    """Draw the cover page with reportlab into `path`."""
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader, simpleSplit
    from reportlab.pdfgen import canvas

    localised = licence.localised(language)
    width, height = letter
    margin = 54
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.setTitle(title or localised.title)
    y = height - margin

    def lines(text, font="Helvetica", size=10, gap=4):
        nonlocal y
        pdf.setFont(font, size)
        for line in simpleSplit(text, font, size, width - 2 * margin):
            y -= size + gap
            pdf.drawString(margin, y, line)

    with translation.override(language):
        if title:
            lines(title, "Helvetica-Bold", 16)
        y -= 8
        lines(_("Identifier: %(identifier)s") % {"identifier": identifier})
        lines(_("Permanent link: %(url)s") % {"url": permanent_url})
        y -= 8
        lines(
            _("Licence: %(title)s (%(spdx)s)") % {"title": localised.title, "spdx": localised.spdx_id},
            "Helvetica-Bold",
            11,
        )
        if localised.url:
            lines(localised.url)
        for sentence in localised.summary(language).splitlines():
            lines("- " + sentence, size=9, gap=3)
        y -= 8
        parties = credited_parties(licence, language)
        if parties:
            lines(_("Parties to credit"), "Helvetica-Bold", 11)
        for party in parties:
            y -= 6
            if party.logo_id:
                with party.logo.file.open("rb") as logo:
                    reader = ImageReader(logo)
                    logo_width, logo_height = reader.getSize()
                    draw_height = 28
                    draw_width = logo_width * draw_height / logo_height
                    y -= draw_height
                    pdf.drawImage(reader, margin, y, width=draw_width, height=draw_height, mask="auto")
                    pdf.setFont("Helvetica", 9)
                    label = f"{party.name} ({party.acronym})" if party.acronym else party.name
                    pdf.drawString(margin + draw_width + 10, y + 10, label[:110])
            else:
                lines(str(party), size=9)
        y -= 12
        lines(_("Credit line"), "Helvetica-Bold", 11)
        lines(credit_line(licence, language, title=title), size=9)
    pdf.showPage()
    pdf.save()


def stamped_pdf(document_path, licence, identifier, permanent_url, language, title=""):
    """The cached copy of a PDF with the licence's cover page and rights metadata."""
    import pikepdf

    language = (language or "fr")[:2]
    target = _cache_path(document_path, licence, identifier, permanent_url, language, ".pdf")
    if target.exists():
        return target

    def write(temp):
        with tempfile.TemporaryDirectory() as scratch:
            cover_path = Path(scratch) / "cover.pdf"
            _cover_page(cover_path, licence, identifier, permanent_url, language, title)
            # pikepdf reads objects from the file on demand; page streams are copied undecoded.
            with pikepdf.open(document_path) as original, pikepdf.open(cover_path) as cover:
                original.pages.insert(0, cover.pages[0])
                rights = dc_rights(licence, language, title=title)
                with original.open_metadata(set_pikepdf_as_editor=False) as meta:
                    meta["dc:rights"] = rights
                    meta["xmpRights:Marked"] = "True"
                    meta["xmpRights:UsageTerms"] = rights
                    meta["xmpRights:WebStatement"] = licence.url or (
                        settings.WAGTAILADMIN_BASE_URL + licence_page_url(licence, language)
                    )
                    meta["dc:identifier"] = identifier
                original.docinfo["/Rights"] = rights
                original.docinfo["/Copyright"] = rights
                original.save(temp)

    return _publish_atomically(target, write)


def terms_text(licence, identifier, permanent_url, title=""):
    """The bilingual terms-and-credits text shipped beside non-PDF files."""
    blocks = []
    for language in ("fr", "en"):
        localised = licence.localised(language)
        with translation.override(language):
            parts = [
                title,
                _("Identifier: %(identifier)s") % {"identifier": identifier},
                _("Permanent link: %(url)s") % {"url": permanent_url},
                "",
                _("Licence: %(title)s (%(spdx)s)") % {"title": localised.title, "spdx": localised.spdx_id},
                localised.url,
                *("- " + line for line in localised.summary(language).splitlines()),
                "",
                _("Credit line"),
                credit_line(licence, language, title=title),
            ]
        blocks.append("\n".join(p for p in parts if p is not None))
    return ("\n\n" + "-" * 60 + "\n\n").join(blocks) + "\n"


def terms_zip(document_path, filename, licence, identifier, permanent_url, title=""):
    """The cached zip of the original file and its bilingual terms-and-credits file."""
    target = _cache_path(document_path, licence, identifier, permanent_url, "fr-en", ".zip")
    if target.exists():
        return target

    def write(temp):
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            # ZipFile.write streams the file from disk.
            archive.write(document_path, arcname=os.path.basename(filename))
            archive.writestr("LICENCE-CREDITS.txt", terms_text(licence, identifier, permanent_url, title))

    return _publish_atomically(target, write)


def deliver(document, licence, identifier, permanent_url, language, title=""):
    """What to send for `document` (a Wagtail document) under `licence`."""
    path = document.file.path
    filename = document.filename
    if licence is None:
        return Delivered(Path(path), filename, "application/octet-stream")
    if filename.lower().endswith(".pdf"):
        return Delivered(
            stamped_pdf(path, licence, identifier, permanent_url, language, title),
            filename,
            "application/pdf",
        )
    stem = os.path.splitext(filename)[0] or "download"
    return Delivered(
        terms_zip(path, filename, licence, identifier, permanent_url, title), f"{stem}.zip", "application/zip"
    )
