from django import template
from django.conf import settings
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse, translate_url
from django.utils.html import format_html_join
from django.utils.translation import get_language, override
from wagtail import hooks
from wagtail.models import Page, Site

from .. import access, fragments, locales

register = template.Library()


def _translations(request, page):
    """The live translations of `page` (itself included) that the reader may see, by language
    code: one query, shared by the language switcher and the alternate links of a request."""
    memo = getattr(request, "_cop_translations", None)
    if memo is None or memo[0] != page.pk:

        def compute():
            translations = page.get_translations(inclusive=True).select_related("locale")
            pages = access.viewable_pages(request.user, translations)
            return {translation.locale.language_code: translation for translation in pages}

        memo = (page.pk, fragments.cached(request, "translations", compute, page.pk))
        request._cop_translations = memo
    return memo[1]


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same content in the other languages.

    On a page, each link goes to its translation when the reader may see one, and otherwise
    to a notice that says no translation exists yet; elsewhere it translates the URL.
    """
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = _translations(request, page) if page is not None else {}
    links = []
    for code, label in settings.LANGUAGES:
        if code == current:
            continue
        if page is not None:
            translation = translations.get(code)
            if translation is not None:
                url = translation.get_url(request)
            else:
                with override(code):
                    url = reverse("translation_missing", args=[page.pk])
        else:
            url = translate_url(request.get_full_path(), code)
        with override(code):
            links.append({"code": code, "label": str(label), "url": url})
    return {"links": links}


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The sections under the home of the current language that the reader may see."""
    request = context["request"]
    site = Site.find_for_request(request)
    if site is None:
        return {"items": []}
    root = site.root_page

    def compute():
        # The home of the current language and its menu pages in one query.
        locale = locales.active()
        home = Page.objects.filter(translation_key=root.translation_key, locale=locale).values("path")[:1]
        children = Page.objects.annotate(parent_path=Substr("path", 1, len(root.path))).filter(
            parent_path=Coalesce(Subquery(home), Value(root.path)), depth=root.depth + 1
        )
        pages = list(access.viewable_pages(request.user, children.in_menu().order_by("path")))
        for item in pages:
            # Worked out once for the kept menu: {% pageurl %} looks the site up for each link.
            item.cop_url = item.get_url(request)
        return pages

    current = context.get("page")
    items = []
    for item in fragments.cached(request, "menu", compute, site.pk):
        state = ""
        if current is not None and current.path.startswith(item.path):
            state = "page" if current.pk == item.pk else "true"
        items.append({"page": item, "current": state})
    return {"items": items}


@register.simple_tag(takes_context=True)
def edit_url(context, page):
    """The admin edit URL of `page` when the reader may edit it, else an empty string."""
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return ""
    can_edit = fragments.cached(
        request, "can-edit", lambda: page.permissions_for_user(user).can_edit(), page.pk
    )
    return reverse("wagtailadmin_pages:edit", args=[page.pk]) if can_edit else ""


@register.inclusion_tag("includes/alternates.html", takes_context=True)
def alternates(context):
    """Canonical URL and hreflang alternates of the current page (only those the reader may see)."""
    request = context["request"]
    page = context.get("page")
    if page is None:
        return {}
    links = [
        {"code": code, "url": translation.get_full_url(request)}
        for code, translation in sorted(_translations(request, page).items())
    ]
    return {"canonical": page.get_full_url(request), "links": links}


@register.simple_tag(takes_context=True)
def editor_actions(context, page):
    """Links that other apps add next to "Edit this page" (hook ``cop_editor_actions``).

    wiki imports none of the apps to its left; they register ``fn(request, page)`` returning
    HTML rendered with ``render_to_string`` (or "" for nothing). Anything not marked safe is
    escaped. Rendered only for people who may edit the page; each hook checks again.
    """
    request = context.get("request")
    parts = [fn(request, page) for fn in hooks.get_hooks("cop_editor_actions")]
    return format_html_join("", "{}", ((part,) for part in parts if part))


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """(URL, title) of the page's ancestors below the root, for the breadcrumbs.

    The same for every reader (the trail names the page's place, as before), so it is kept
    per page and content generation for all of them (wiki.fragments.shared).
    """
    request = context.get("request")

    def compute():
        ancestors = page.get_ancestors().exclude(depth=1).only("id", "title", "url_path", "depth", "path")
        return [(ancestor.get_url(request), ancestor.title) for ancestor in ancestors]

    if request is None:
        return compute()
    return fragments.shared(request, "breadcrumbs", compute, page.pk, get_language())
