"""The public sitemap (`/sitemap.xml`) for search engines.

It lists, in every language of the site, the pages a visitor who is NOT signed in may read,
as the one access rule decides (`wiki.access.viewable_pages` for an anonymous visitor): it is
the same document for everyone, whoever asks, so it can be kept by shared caches. Each page
names its translations that are public too (`xhtml:link rel="alternate" hreflang`), and the
default language's copy as `x-default`.

`/sitemap.xml` is an index of the sections (`/sitemap-pages.xml`, split in pages of
`PublicPagesSitemap.limit` addresses with `?p=` as the sitemaps protocol expects). The number
of queries does not depend on the number of pages: the pages are read in one query per
sitemap page, their public translations in one more, and their addresses are built from
Wagtail's site root paths, which the request keeps.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Q
from django.http import Http404
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.models import Page

from . import access


class PublicPagesSitemap(Sitemap):
    """Every page of the request's site, in every language, that anonymous visitors may read."""

    # Well under the protocol's 50 000 addresses (and 50 MB) per file: each entry also carries
    # its alternates.
    limit = 10000

    def _root_paths(self):
        """Wagtail's site root paths of the request's site: (url_path prefix, language code)."""
        site = self.get_wagtail_site()
        # The same list `Page.get_url` reads, kept on the request (no query after the first).
        root_paths = site.root_page._get_site_root_paths(self.request)
        return [(srp.root_path, srp.language_code) for srp in root_paths if srp.site_id == site.pk]

    def _pages(self):
        """Pages of the site (in any language) that anonymous visitors may read."""
        under_site = Q()
        for root_path, _language in self._root_paths():
            under_site |= Q(url_path__startswith=root_path)
        if not under_site:
            return Page.objects.none()
        # One visitor for the whole request: the rule reads the closed paths once for it.
        if not hasattr(self, "_visitor"):
            self._visitor = AnonymousUser()
        return access.viewable_pages(self._visitor, Page.objects.filter(under_site))

    def items(self):
        return self._pages().order_by("path")

    def get_latest_lastmod(self):
        # Django's default reads every item; one aggregate answers the same question.
        return self._pages().aggregate(latest=Max("last_published_at"))["latest"]

    def _language(self, page):
        for root_path, language in self._root_paths_cache:
            if page.url_path.startswith(root_path):
                return language
        return None

    def _location(self, page):
        return self.request.build_absolute_uri(page.get_url(self.request))

    def _urls(self, page_number, protocol, domain):
        self._root_paths_cache = self._root_paths()
        pages = list(self.paginator.page(page_number).object_list)
        keys = {page.translation_key for page in pages}
        # The public copies of these pages in every language (themselves included): one query.
        translations = {}
        for copy in self._pages().filter(translation_key__in=keys).order_by("path"):
            translations.setdefault(copy.translation_key, []).append(copy)

        urls = []
        for page in pages:
            copies = translations.get(page.translation_key, [page])
            alternates = []
            if len(copies) > 1:
                by_language = {self._language(copy): self._location(copy) for copy in copies}
                alternates = [
                    {"lang_code": language, "location": location}
                    for language, location in by_language.items()
                    if language
                ]
                default = by_language.get(settings.LANGUAGE_CODE)
                if default:
                    alternates.append({"lang_code": "x-default", "location": default})
            urls.append(
                {
                    "item": page,
                    "location": self._location(page),
                    "lastmod": page.last_published_at or page.latest_revision_created_at,
                    "alternates": alternates,
                }
            )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


SITEMAPS = {"pages": PublicPagesSitemap}


@login_not_required
def index(request):
    """`/sitemap.xml`: the index of the sitemap's sections and their pages."""
    return wagtail_sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")


@login_not_required
def section(request, section):
    """`/sitemap-<section>.xml` (`?p=2`...): the addresses themselves."""
    if section not in SITEMAPS:
        raise Http404
    return wagtail_sitemap_views.sitemap(request, SITEMAPS, section=section)
