"""The former address of documents for invited guests (see `wiki.access`).

Guests now download through Wagtail's own document view, like everyone else: its collection
check is the access rule (`wiki.wagtail_hooks`). Links to this address were already sent in
pages and emails, so it stays, answered by the same view and the same rule.
"""

from wagtail.documents.views.serve import serve


def guest_document(request, document_id, filename):
    """The document, exactly as at its own address (`document.url`)."""
    return serve(request, document_id, filename)
