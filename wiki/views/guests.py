"""Files for guests invited to one area of a workspace (see `wiki.access`).

Wagtail's document view checks the collection's view restriction itself, after the access
rule, and knows nothing of guest invitations; documents shown on the pages of a guest's area
are sent from here instead, after the same rule.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served

from .. import access


def guest_document(request, document_id, filename):
    """One document, with the headers Wagtail's document view gives it (no inline script, no
    type sniffing), never kept by shared caches; `document_served` is sent as usual."""
    document = get_object_or_404(get_document_model(), pk=document_id)
    if document.filename != filename:
        raise Http404
    if not access.can_view_document(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    document_served.send(sender=type(document), instance=document, request=request)
    response = FileResponse(document.file.open("rb"), content_type=document.content_type)
    response["Content-Disposition"] = document.content_disposition
    if getattr(settings, "WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT", True):
        response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response
