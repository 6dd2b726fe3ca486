from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView, TemplateView
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from perf.cache import PUBLIC_MARK
from repository.oai import endpoint as oai_endpoint
from wiki import sitemaps
from wiki.views.pages import serve


def _same_for_everyone(view):
    """Mark the responses of `view` as public: the perf middleware then lets shared caches keep
    them (for requests without a session), like the public pages. Only for views whose answer
    never depends on who asks."""

    def marked(request, *args, **kwargs):
        setattr(request, PUBLIC_MARK, True)
        return view(request, *args, **kwargs)

    return login_not_required(marked)


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document view checks each document through `before_serve_document`.
    path("documents/", include(wagtaildocs_urls)),
    # Wagtail's restriction checks reverse this name before reading WAGTAIL_FRONTEND_LOGIN_URL
    # (`require_wagtail_login`): without it a refused visitor got a server error.
    path(
        "_util/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="wagtailcore_login",
    ),
    # OAI-PMH harvesters expect one address, outside the language prefixes.
    path("oai/", oai_endpoint, name="oai"),
    path(
        "robots.txt",
        login_not_required(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    ),
    # The sitemap lists the pages anonymous visitors may read, in every language, whoever asks.
    path("sitemap.xml", _same_for_everyone(sitemaps.index), name="sitemap"),
    path("sitemap-<slug:section>.xml", _same_for_everyone(sitemaps.section), name="sitemap_section"),
]

urlpatterns += i18n_patterns(
    path("", include("wiki.urls")),
    path("", include("repository.urls")),
    path("", include("search.urls")),
    path("", include("translations.urls")),
    path("", include("licensing.urls")),
    path("", include("operations.urls")),
    path("", include("notifications.urls")),
    # Wagtail's page view must come last: it answers every other path.
    re_path(r"^((?:[\w\-]+/)*)$", serve, name="wagtail_serve"),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = (
        static(settings.MEDIA_URL + "images/", document_root=settings.MEDIA_ROOT / "images") + urlpatterns
    )

# A database failure outside a view (in a middleware) becomes the translated 503 page too.
handler500 = "operations.views.server_error"
