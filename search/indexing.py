"""Builds and refreshes `SearchEntry` rows from pages and partner organisations.

What is indexed is whatever each model declares in its `search_fields` (so a field the
repository adds, such as the extracted text of a deliverable's file, is picked up without a
change here), plus the facet values search filters on. Who may read an entry is never stored.
"""

import contextlib
import logging
import threading

from django.db import transaction
from django.utils.html import strip_tags
from wagtail.search import index

from . import analysis
from .models import SearchEntry, SearchTag, elasticsearch_configured

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
ELASTICSEARCH_CHUNK = 500

# Elasticsearch -------------------------------------------------------------------------------
# With Elasticsearch, every change of the entries made here is also sent to its index, once
# the database transaction commits (a rolled-back change never reaches it). Sending is never
# allowed to break editing: a failure is logged, and `manage.py update_index` repairs.

_local = threading.local()


def elasticsearch_backends():
    """The configured Elasticsearch backends (none with the database backend)."""
    if not elasticsearch_configured():
        return []
    from wagtail.search.backends import get_search_backends

    return [backend for backend in get_search_backends() if hasattr(backend, "es")]


@contextlib.contextmanager
def _elasticsearch_held():
    """Send nothing one entry at a time inside the block (a rebuild sends everything at the end)."""
    _local.held = True
    try:
        yield
    finally:
        _local.held = False


def send_to_elasticsearch(entry_ids=(), deleted_ids=()):
    """Index these entries (and remove these deleted ones) in Elasticsearch after commit."""
    entry_ids, deleted_ids = list(entry_ids), list(deleted_ids)
    if getattr(_local, "held", False) or not (entry_ids or deleted_ids):
        return
    backends = elasticsearch_backends()
    if not backends:
        return

    def send():
        entries = list(SearchEntry.get_indexed_objects().filter(pk__in=entry_ids)) if entry_ids else []
        for backend in backends:
            try:
                if entries:
                    backend.add_bulk(SearchEntry, entries)
                for entry_id in deleted_ids:
                    backend.delete(SearchEntry(pk=entry_id))
            except Exception:
                logger.exception("Elasticsearch update failed for entries %s", entry_ids + deleted_ids)

    after_commit(send)


def after_commit(send):
    # Its own function so the live Elasticsearch tests (inside one transaction) can send at once.
    transaction.on_commit(send)


def rebuild_elasticsearch(stdout=None):
    """Rebuild the Elasticsearch index of the entries from the database (a new index swapped
    in when complete, as Wagtail's `update_index` does). Returns the number sent."""
    count = 0
    for backend in elasticsearch_backends():
        rebuilder = backend.rebuilder_class(backend.get_index_for_model(SearchEntry))
        target = rebuilder.start()
        target.add_model(SearchEntry)
        chunk = []
        entries = SearchEntry.get_indexed_objects().order_by("pk")
        for entry in entries.iterator(chunk_size=ELASTICSEARCH_CHUNK):
            chunk.append(entry)
            if len(chunk) == ELASTICSEARCH_CHUNK:
                target.add_items(SearchEntry, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            target.add_items(SearchEntry, chunk)
            count += len(chunk)
        rebuilder.finish()
        if stdout is not None:
            stdout.write(f"{count} search entries sent to Elasticsearch.\n")
    return count


def page_kinds():
    """The page models search covers, with their kind."""
    from repository.models import DeliverablePage
    from wiki.models import MeetingPage, WikiPage, WorkspacePage

    return {
        WorkspacePage: SearchEntry.Kind.WORKSPACE,
        WikiPage: SearchEntry.Kind.WIKI,
        MeetingPage: SearchEntry.Kind.MEETING,
        DeliverablePage: SearchEntry.Kind.DELIVERABLE,
    }


def _searchable_text(obj, skip=("title",)):
    """The text of every `index.SearchField` of `obj` except `skip`, as one string.

    The text of a deliverable's files is left out while an embargo runs: during an embargo
    only insiders may read the files (`repository.embargo`), and search must not quote them to
    anyone else. It is indexed again when the embargo ends (`manage.py rebuild_search_index
    --lifted-embargoes`, run daily).
    """
    if getattr(obj, "under_embargo", False):
        skip = (*skip, "files_text")
    parts = []
    for search_field in obj.get_search_fields():
        if not isinstance(search_field, index.SearchField) or search_field.field_name in skip:
            continue
        try:
            # Already the searchable content (rich text and StreamFields reduced to text).
            value = search_field.get_value(obj)
        except Exception:  # one broken field must not stop indexing the rest
            logger.exception("Could not read search field %s of %r", search_field.field_name, obj)
            continue
        if value is None:
            continue
        content = value if isinstance(value, list | tuple) else [value]
        parts.extend(strip_tags(str(item)) for item in content if item)
    return "\n".join(p.strip() for p in parts if p and p.strip())[:MAX_TEXT_CHARS]


def _workspace_key(page):
    from wiki.models import WorkspacePage

    return (
        WorkspacePage.objects.ancestor_of(page, inclusive=True)
        .values_list("translation_key", flat=True)
        .first()
    )


def _page_fields(page, kind):
    from repository.models import DeliverablePage
    from wiki.models import MeetingPage

    fields = {"workspace_key": None, "date": None, "deliverable_type": "", "licence_key": None}
    if isinstance(page, DeliverablePage):
        fields["workspace_key"] = page.workspace_key
        fields["date"] = page.date_issued
        fields["deliverable_type"] = page.deliverable_type
        if page.licence_id:
            fields["licence_key"] = page.licence.translation_key
    else:
        fields["workspace_key"] = _workspace_key(page)
        if isinstance(page, MeetingPage) and page.start:
            fields["date"] = page.start.date()
    if fields["date"] is None:
        stamp = page.last_published_at or page.first_published_at
        fields["date"] = stamp.date() if stamp else None
    return fields


def index_page(page):
    """Bring the entry of one page in line with the page (remove it if not searchable)."""
    from wagtail.models import Page

    kind = page_kinds().get(page.specific_class)
    if kind is None:
        return None
    # Read the page back as stored: the instance a signal carries may hold unconverted values.
    page_id = page.pk
    page = Page.objects.filter(pk=page_id).select_related("locale").first()
    page = page.specific if page is not None else None
    if page is None or not page.live:
        gone = list(SearchEntry.objects.filter(page_id=page_id).values_list("pk", flat=True))
        SearchEntry.objects.filter(pk__in=gone).delete()
        send_to_elasticsearch(deleted_ids=gone)
        return None
    language = page.locale.language_code
    text = _searchable_text(page)
    tags = list(page.tags.names()) if hasattr(page, "tags") else []
    values = _page_fields(page, kind)
    values.update(
        kind=kind,
        language=language,
        title=page.title[:255],
        text=text,
        year=values["date"].year if values["date"] else None,
        title_terms=analysis.analyse(page.title, language),
        terms=analysis.analyse(" ".join([text, *tags]), language),
        tag_text=" ".join(tags),
    )
    with transaction.atomic():
        entry, _ = SearchEntry.objects.update_or_create(page_id=page.pk, defaults=values)
        _set_tags(entry, tags)
    send_to_elasticsearch(entry_ids=[entry.pk])
    return entry


def index_partner(partner):
    language = partner.locale.language_code
    text = "\n".join(p for p in [partner.acronym, partner.get_kind_display(), partner.mission] if p)
    values = {
        "kind": SearchEntry.Kind.PARTNER,
        "language": language,
        "title": str(partner.name)[:255],
        "text": text,
        "url": partner.website or "",
        "title_terms": analysis.analyse(f"{partner.name} {partner.acronym}", language),
        "terms": analysis.analyse(text, language),
    }
    entry, _ = SearchEntry.objects.update_or_create(partner_id=partner.pk, defaults=values)
    send_to_elasticsearch(entry_ids=[entry.pk])
    return entry


def _set_tags(entry, tags):
    current = set(entry.tags.values_list("name", flat=True))
    wanted = {t[:100] for t in tags}
    if current != wanted:
        entry.tags.all().delete()
        SearchTag.objects.bulk_create(SearchTag(entry=entry, name=t) for t in sorted(wanted))


def index_subtree(page):
    """Re-index a page and its descendants (after a move: their workspace may have changed)."""
    from wagtail.models import Page

    for descendant in Page.objects.descendant_of(page, inclusive=True).specific().iterator():
        index_page(descendant)


def rebuild(stdout=None, elasticsearch=True):
    """Rebuild every entry from the database; returns the number of entries. With
    Elasticsearch, its index of the entries is then rebuilt too (`elasticsearch=False` leaves
    that to the caller, as `update_index` does with Wagtail's own rebuild)."""
    from licensing.models import PartnerOrganisation

    count = 0
    with transaction.atomic(), _elasticsearch_held():
        SearchEntry.objects.all().delete()
        for model in page_kinds():
            for page in model.objects.live().select_related("locale").iterator():
                if index_page(page) is not None:
                    count += 1
        for partner in PartnerOrganisation.objects.select_related("locale").iterator():
            index_partner(partner)
            count += 1
    if stdout is not None:
        stdout.write(f"{count} search entries rebuilt.\n")
    if elasticsearch:
        rebuild_elasticsearch(stdout)
    return count


def reindex_lifted_embargoes(days=30):
    """Re-index deliverables whose embargo ended in the last `days` days."""
    import datetime

    from django.utils import timezone

    from repository.models import DeliverablePage

    today = timezone.localdate()
    lifted = DeliverablePage.objects.live().filter(
        embargo_until__lte=today, embargo_until__gt=today - datetime.timedelta(days=days)
    )
    count = 0
    for page in lifted.iterator():
        index_page(page)
        count += 1
    return count
