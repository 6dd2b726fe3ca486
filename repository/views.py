"""Downloads of deliverable files, checked against the deliverable's access level."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from wiki import access

from .models import DeliverablePage


@login_not_required
def download(request, page_id):
    deliverable = get_object_or_404(DeliverablePage, pk=page_id)
    if not access.can_view_page(request.user, deliverable):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    document = deliverable.file
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
