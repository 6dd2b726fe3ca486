"""Scale data for the repository: thousands of deliverables at the three access levels.

Used by `manage.py generate_scale_data`. Deliverables are written in bulk with
`wiki.scale.BulkPages`; their access levels are materialised as the page view restrictions
`wiki.access.set_page_audience` would create (public: none; partners: login; members: the
workspace's groups), but with multi-row INSERTs. A few real files with extractable text are
shared among them, and optionally one large public file for download benchmarks.
"""

import datetime
import hashlib
import os
import tempfile
import uuid

from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile, File
from django.db.models import Max
from wagtail.documents import get_document_model
from wagtail.models import BaseViewRestriction, Collection, PageViewRestriction

from wiki.models import WorkspaceAccess
from wiki.scale import TOPICS, BulkPages, paragraphs, reset_sequences, sentence_pair

from .models import DeliverablePage, RepositoryIndexPage
from .samples import make_pdf

LEVELS = [
    # (access level, share of deliverables)
    (DeliverablePage.Access.PUBLIC, 0.4),
    (DeliverablePage.Access.PARTNERS, 0.3),
    (DeliverablePage.Access.MEMBERS, 0.3),
]
TYPES = [
    (DeliverablePage.Type.REPORT, "Rapport", "Report"),
    (DeliverablePage.Type.GUIDE, "Guide", "Guide"),
    (DeliverablePage.Type.TOOL, "Outil", "Tool"),
    (DeliverablePage.Type.KM_PLAN, "Plan de mobilisation des connaissances", "Knowledge mobilisation plan"),
    (DeliverablePage.Type.PRESENTATION, "Présentation", "Presentation"),
]


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _files(count, rng, collection):
    """`count` small PDFs whose text (French and English) can be extracted and indexed.

    Returns (document, description) pairs; the description holds what the repository records
    of an attached file (size, type, SHA-256, text), computed once per file.
    """
    Document = get_document_model()
    documents = []
    for number in range(count):
        topic = TOPICS[number % len(TOPICS)]
        fr, en = sentence_pair(rng, topic)
        title = f"Fiche synthèse {number + 1} — {topic[0]}"
        content = make_pdf(title, [fr[:90], en[:90]])
        document = Document(title=title, collection=collection)
        document.file.save(f"fiche-{number + 1}.pdf", ContentFile(content), save=False)
        document.save()
        description = {
            "size": len(content),
            "mime_type": "application/pdf",
            "sha256": hashlib.sha256(content).hexdigest(),
            "text": f"{title}\n{fr}\n{en}",
        }
        documents.append((document, description))
    return documents


def _large_file(megabytes, collection):
    """One large text file (for download benchmarks), written to disk in 1 MB chunks."""
    Document = get_document_model()
    line = "Mobilisation des connaissances — knowledge mobilisation — données 0123456789\n"
    chunk = (line * (1024 * 1024 // len(line) + 1)).encode()[: 1024 * 1024]
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as handle:
        for _ in range(megabytes):
            handle.write(chunk)
            digest.update(chunk)
        path = handle.name
    document = Document(title=f"Jeu de données volumineux ({megabytes} Mo)", collection=collection)
    with open(path, "rb") as handle:
        document.file.save(f"donnees-{megabytes}mo.txt", File(handle), save=False)
        document.save()
    os.unlink(path)
    description = {
        "size": megabytes * 1024 * 1024,
        "mime_type": "text/plain",
        "sha256": digest.hexdigest(),
        "text": line * 20,
    }
    return document, description


def _level(rng):
    draw = rng.random()
    for level, share in LEVELS:
        if draw < share:
            return level
        draw -= share
    return LEVELS[-1][0]


def generate(context):
    """The repository's part: deliverables in both languages with access levels and files."""
    options = context["options"]
    rng = context["rng"]
    fr, en = context["locales"]
    index_fr = RepositoryIndexPage.objects.filter(locale=fr).first()
    index_en = index_fr.get_translation_or_none(en) if index_fr else None
    if index_fr is None or index_en is None:
        raise RuntimeError("The repository index is missing: run `manage.py load_demo` first.")
    workspaces = context.get("scale_workspaces") or []
    licences = context.get("licences") or []
    root_collection = Collection.get_first_root_node()
    documents = _files(min(options["deliverables"], options["files"]), rng, root_collection)
    large = _large_file(options["large_file_mb"], root_collection) if options["large_file_mb"] else None

    # The repository records several `files` with their description (size, type, hash,
    # extracted text) and keeps the first as `file`: fill whichever this version has.
    has_file_field = _has_field(DeliverablePage, "file")
    has_files_text = _has_field(DeliverablePage, "files_text")
    has_files_relation = _has_field(DeliverablePage, "files")

    run = uuid.uuid4().hex[:6]
    bulk = BulkPages(user=context.get("admin"))
    audiences = []  # (page, access level, workspace key)
    attachments = []  # (page, (document, description))
    today = datetime.date.today()
    for number in range(options["deliverables"]):
        ws = workspaces[number % len(workspaces)] if workspaces else None
        topic = ws[2] if ws else TOPICS[number % len(TOPICS)]
        kind, fr_kind, en_kind = TYPES[number % len(TYPES)]
        level = _level(rng)
        if ws is None and level == DeliverablePage.Access.MEMBERS:
            level = DeliverablePage.Access.PARTNERS
        attached = documents[number % len(documents)] if documents else None
        if large is not None and number == 0:
            level, attached = DeliverablePage.Access.PUBLIC, large
        fr_body, en_body = paragraphs(rng, topic, rng.randint(1, 3))
        licence = licences[number % len(licences)] if licences else {}
        common = {
            "translation_key": uuid.uuid4(),
            "deliverable_type": kind,
            "access_level": level,
            "workspace_key": ws[0].translation_key if ws else None,
            "date_issued": today - datetime.timedelta(days=rng.randint(0, 1500)),
        }
        if has_file_field:
            common["file"] = attached[0] if attached else None
        if has_files_text and attached:
            common["files_text"] = attached[1]["text"]
        for parent, locale, title, abstract, body in (
            (index_fr, fr, f"{fr_kind} {number + 1} — {topic[0]}", sentence_pair(rng, topic)[0], fr_body),
            (index_en, en, f"{en_kind} {number + 1} — {topic[1]}", sentence_pair(rng, topic)[1], en_body),
        ):
            page = bulk.add(
                parent,
                DeliverablePage,
                title=title,
                slug=f"livrable-{number + 1}-{run}",
                locale=locale,
                abstract=abstract,
                body=body,
                licence=licence.get(locale.pk),
                **common,
            )
            audiences.append((page, level, common["workspace_key"]))
            if attached and has_files_relation:
                attachments.append((page, attached))
    pages = bulk.write()
    context.setdefault("scale_pages", []).extend(pages)
    if large is not None and pages:
        context["large_file_deliverable"] = pages[0]
    if attachments:
        DeliverableFile = DeliverablePage._meta.get_field("files").related_model
        DeliverableFile.objects.bulk_create(
            [
                DeliverableFile(page_id=page.pk, document=document, sort_order=0, **description)
                for page, (document, description) in attachments
            ],
            batch_size=500,
        )
    _materialise_access(audiences)


def _materialise_access(audiences):
    """The view restrictions `access.set_page_audience` would create, in a few INSERTs."""
    groups = {
        a.workspace_key: (a.members_group_id, a.managers_group_id) for a in WorkspaceAccess.objects.all()
    }
    next_id = (PageViewRestriction.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    restrictions, links = [], []
    Through = PageViewRestriction.groups.through
    for page, level, workspace_key in audiences:
        if level == DeliverablePage.Access.PUBLIC:
            continue
        if level == DeliverablePage.Access.PARTNERS:
            kind = BaseViewRestriction.LOGIN
        else:
            kind = BaseViewRestriction.GROUPS
        restrictions.append(PageViewRestriction(id=next_id, page_id=page.pk, restriction_type=kind))
        if kind == BaseViewRestriction.GROUPS:
            for group_id in groups[workspace_key]:
                links.append(Through(pageviewrestriction_id=next_id, group_id=group_id))
        next_id += 1
    PageViewRestriction.objects.bulk_create(restrictions, batch_size=500)
    Through.objects.bulk_create(links, batch_size=500)
    reset_sequences(PageViewRestriction)
