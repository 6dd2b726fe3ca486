from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks

from . import access


@hooks.register("before_serve_page", order=-100)
def check_page_access(page, request, serve_args, serve_kwargs):
    """Every page served goes through the one access rule."""
    if access.can_view_page(request.user, page):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@hooks.register("before_serve_document", order=-100)
def check_document_access(document, request):
    if access.can_view_document(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied
