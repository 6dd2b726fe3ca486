"""Images served through the access rule.

Wagtail's renditions are plain files under MEDIA_ROOT, readable by anyone who has the address,
and collection privacy covers documents only. Workspace images are served here instead, after
`wiki.access.can_view_image`, so they are exactly as private as the workspace's documents.
"""

import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from wagtail.images import get_image_model

from .. import access

# Only the sizes the templates use: an open filter would let anyone make the server resize.
ALLOWED_FILTERS = {"max-1000x800", "fill-300x200", "width-400"}


@login_not_required
def image(request, image_id, filter_spec):
    """One rendition of an image, if the reader may see the image's collection."""
    if filter_spec not in ALLOWED_FILTERS:
        raise Http404
    picture = get_object_or_404(get_image_model(), pk=image_id)
    if not access.can_view_image(request.user, picture):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    rendition = picture.get_rendition(filter_spec)
    rendition.file.open("rb")
    content_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    response = FileResponse(rendition.file, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
