from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.models import Page

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


@hooks.register("construct_page_chooser_queryset")
def choosers_show_only_readable_pages(pages, request):
    """The page chooser lists pages of every workspace by default: keep it to readable ones.

    The chooser may search this queryset, and search backends take a sub-query but no
    `Exists` clause, hence the `pk__in`.
    """
    return pages.filter(pk__in=access.readable_pages(request.user, Page.objects.all()).values("pk"))


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_only_readable_pages(parent_page, pages, request):
    return access.readable_pages(request.user, pages)
