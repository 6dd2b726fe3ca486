"""Page-related views that Wagtail's serve view does not provide."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db.models import Subquery, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site
from wagtail.views import serve as wagtail_serve

from .. import access, fragments, locales


@login_not_required
def serve(request, path):
    """Wagtail's page view; each page is checked through the `before_serve_page` hook.

    Visitors who are not signed in get the login page for unknown addresses too, so that
    the difference between "private" and "missing" tells them nothing.
    """
    route(request, path)
    try:
        return wagtail_serve(request, path)
    except Http404:
        if request.user.is_authenticated:
            raise
        return redirect_to_login(request.get_full_path())


def route(request, path):
    """Find the page at `path` in two queries, for Wagtail's serve view to use.

    Wagtail walks the tree one level per query (two with the specific page), so a page five
    levels deep costs ten; the page's `url_path` says the same in one look-up under the home
    of the active language. When there is no such page (a missing page, a sub-route) nothing
    is set and Wagtail routes as usual. The result goes where Wagtail keeps its own
    (`request._wagtail_route_for_request`), Http404 included, for a page that is not live.
    """
    if hasattr(request, "_wagtail_route_for_request"):
        return
    site = Site.find_for_request(request)
    locale = locales.active()
    if site is None or locale is None:
        return
    components = [component for component in path.split("/") if component]
    rest = "".join(f"{component}/" for component in components)

    def find():
        home = Page.objects.filter(
            translation_key=site.root_page.translation_key, locale=locale, live=True
        ).values("url_path")[:1]
        # Is a section above it unpublished? Asked with the page, so the rule need not ask again.
        return (
            Page.objects.filter(url_path=Concat(Subquery(home), Value(rest)))
            .annotate(cop_unpublished_above=access.unpublished_above())
            .values_list("pk", "content_type_id", "cop_unpublished_above")
            .first()
        )

    # Which page an address leads to changes only with a publish, unpublish, move or deletion,
    # each a new content generation: kept for every reader, the page is then one query.
    found = fragments.shared(request, "route", find, site.pk, locale.pk, rest)
    if found is None:
        return
    pk, content_type_id, unpublished_above = found
    model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
    page = model._default_manager.filter(pk=pk).first()
    if page is None:
        return
    access.remember_unpublished_above(page, unpublished_above)
    if page.locale_id == locale.pk:
        page.locale = locale  # saves the look-up of `page.locale` by the templates and hooks
    # The restrictions on the page and its ancestors are the same for every reader until a
    # restriction, publish or move starts a new content generation: the one rule reads them
    # from here (and still decides for this reader).
    restrictions = fragments.shared(
        request, "restrictions", lambda: access.view_restrictions(page), page.pk, page.path
    )
    access.remember_view_restrictions(page, restrictions)
    try:
        request._wagtail_route_for_request = page.route(request, [])
    except Http404:
        request._wagtail_route_for_request = None


@login_not_required
def translation_missing(request, page_id):
    """Said by the language switcher when a page has no counterpart in the chosen language."""
    page = get_object_or_404(Page, pk=page_id)
    if not access.can_view_page(request.user, page):
        raise Http404
    locale = Locale.objects.get(language_code=get_language())
    translation = page.get_translation_or_none(locale)
    if translation is not None and access.can_view_page(request.user, translation):
        from django.shortcuts import redirect

        return redirect(translation.url)
    return render(request, "wiki/translation_missing.html", {"original": page.specific}, status=404)
