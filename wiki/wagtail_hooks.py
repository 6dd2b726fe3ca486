from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import Page

from . import access

# Set on a request whose page the reader may see only as an invited guest (see `wiki.access`).
GUEST_READER = "cop_guest_reader"


@hooks.register("before_serve_page", order=-100)
def check_page_access(page, request, serve_args, serve_kwargs):
    """Every page served goes through the one access rule."""
    how = access.page_access(request.user, page)
    if how == access.GUEST:
        setattr(request, GUEST_READER, True)
    if how is not None:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@hooks.register("on_serve_page", order=-100)
def serve_guest_areas(serve):
    """Wagtail checks the page's view restrictions again around serving, and knows nothing of
    guest invitations: for a guest the rule already said yes above, so that second check is
    skipped (and the page is never cached)."""

    def inner(page, request, serve_args, serve_kwargs):
        if getattr(request, GUEST_READER, False):
            response = page.serve(request, *serve_args, **serve_kwargs)
            add_never_cache_headers(response)
            return response
        return serve(page, request, serve_args, serve_kwargs)

    return inner


@hooks.register("before_serve_document", order=-100)
def check_document_access(document, request):
    """Every document served by Wagtail's document view goes through the one access rule,
    which also lets invited guests download the documents their area shows."""
    if access.can_view_document(request.user, document):
        # Only signed-in readers get documents here, so the response is marked private
        # (perf.middleware) and never kept by a shared cache, guests' included.
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _leave_collection_checks_to_the_access_rule():
    """Wagtail's document view checks the collection's view restrictions again after the hook
    above, and knows nothing of guest invitations: it would refuse a guest the rule let in.
    The rule applies the same restrictions (login and groups; shared passwords are switched
    off by WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS), so Wagtail's check is taken out of the
    hook list and the rule is the only one to decide, as `serve_guest_areas` does for pages.
    Wagtail has no public way to unregister a hook; if its check is not found (a Wagtail
    upgrade moved it), guests are refused again, which the guest download tests report."""
    from wagtail.documents import wagtail_hooks as document_hooks

    registered = hooks._hooks.get("before_serve_document", [])
    registered[:] = [entry for entry in registered if entry[0] is not document_hooks.check_view_restrictions]


_leave_collection_checks_to_the_access_rule()


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
