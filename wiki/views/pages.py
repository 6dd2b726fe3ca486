"""Page-related views that Wagtail's serve view does not provide."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from wagtail.models import Locale, Page
from wagtail.views import serve as wagtail_serve

from .. import access


@login_not_required
def serve(request, path):
    """Wagtail's page view; each page is checked through the `before_serve_page` hook.

    Visitors who are not signed in get the login page for unknown addresses too, so that
    the difference between "private" and "missing" tells them nothing.
    """
    try:
        return wagtail_serve(request, path)
    except Http404:
        if request.user.is_authenticated:
            raise
        return redirect_to_login(request.get_full_path())


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
