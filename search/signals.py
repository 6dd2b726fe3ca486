"""Keep the search index in step with content: save, publish, unpublish, move, delete, upload.

Privacy changes need nothing here: visibility is decided when a query runs.
"""

import logging

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import indexing

logger = logging.getLogger(__name__)


def _safely(fn, *args):
    # Editing must never fail because the search index could not be updated; a rebuild
    # (`manage.py update_index`) repairs it.
    try:
        fn(*args)
    except Exception:
        logger.exception("Search index update failed for %r", args)


def page_saved(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    _safely(indexing.index_page, instance)


def page_published_or_unpublished(sender, instance, **kwargs):
    # Tags are saved after the page row: index again once publishing is complete.
    _safely(indexing.index_page, instance)


def page_moved(sender, instance, **kwargs):
    _safely(indexing.index_subtree, instance)


def partner_saved(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    _safely(indexing.index_partner, instance)


def document_saved(sender, instance, **kwargs):
    """A new or replaced file changes the text of the deliverables that carry it."""
    if kwargs.get("raw"):
        return
    from repository.models import DeliverablePage

    for deliverable in DeliverablePage.objects.filter(file=instance):
        _safely(indexing.index_page, deliverable)


def files_text_changed(sender, page_id, **kwargs):
    """Text extracted again from a deliverable's files (`manage.py extract_text`, publishing)."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        _safely(indexing.index_page, page)


def document_deleted(sender, instance, **kwargs):
    from repository.models import DeliverablePage

    for deliverable in DeliverablePage.objects.filter(file_id=instance.pk):
        _safely(indexing.index_page, deliverable)


def entry_deleted(sender, instance, **kwargs):
    """An entry deleted with its page (a cascade, not `indexing`) leaves Elasticsearch too."""
    indexing.send_to_elasticsearch(deleted_ids=[instance.pk])


def connect():
    from wagtail.documents import get_document_model

    from licensing.models import PartnerOrganisation
    from repository.files import files_text_changed as files_text_changed_signal

    for model in indexing.page_kinds():
        post_save.connect(page_saved, sender=model, dispatch_uid=f"cop_search_save_{model.__name__}")
        page_published.connect(
            page_published_or_unpublished, sender=model, dispatch_uid=f"cop_search_pub_{model.__name__}"
        )
        page_unpublished.connect(
            page_published_or_unpublished, sender=model, dispatch_uid=f"cop_search_unpub_{model.__name__}"
        )
    post_page_move.connect(page_moved, dispatch_uid="cop_search_move")
    post_save.connect(partner_saved, sender=PartnerOrganisation, dispatch_uid="cop_search_partner")
    files_text_changed_signal.connect(files_text_changed, dispatch_uid="cop_search_files_text")
    document = get_document_model()
    post_save.connect(document_saved, sender=document, dispatch_uid="cop_search_document")
    post_delete.connect(document_deleted, sender=document, dispatch_uid="cop_search_document_del")
    if indexing.elasticsearch_configured():
        # Only then: a receiver stops Django deleting entries in bulk (each is loaded first).
        from .models import SearchEntry

        post_delete.connect(entry_deleted, sender=SearchEntry, dispatch_uid="cop_search_entry_del")
