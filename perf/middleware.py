"""Cache headers on every response, and the per-process page cache for public pages."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import cache


class PageCacheMiddleware:
    """Marks responses public or private and, when enabled, serves public pages from the cache.

    Placed before the session and authentication middlewares, so that a cache hit costs no
    database query; a request carrying a session cookie is never answered from the cache, and
    only responses that `cache.is_public` accepts are stored. Junk cookies do not matter: only
    the session cookie identifies a reader.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The content generation, for the per-reader fragments of wiki.fragments.
        request.cop_generation = cache.generation()
        local = settings.PAGE_CACHE_LOCAL and settings.PAGE_CACHE_SECONDS > 0
        lookup = local and request.method in ("GET", "HEAD") and not cache.has_session_cookie(request)
        if lookup:
            current = request.cop_generation
            entry = cache.store().get(cache.key(request, current))
            if entry is not None:
                status, headers, content = entry
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if cache.is_public(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS)
            # nginx's proxy_cache (before 1.23) does not read s-maxage and keeps nothing marked
            # max-age=0; this header is its own, has priority, and nginx does not pass it on.
            response["X-Accel-Expires"] = str(settings.PAGE_CACHE_SECONDS)
            if lookup and current == cache.generation():
                headers = [(k, v) for k, v in response.items() if k.lower() not in ("x-page-cache",)]
                cache.store().set(
                    cache.key(request, current),
                    (response.status_code, headers, response.content),
                    settings.PAGE_CACHE_SECONDS,
                )
                response["X-Page-Cache"] = "miss"
        elif "Cache-Control" not in response or _signed_in(request):
            # Anything that is not a public page stays out of shared caches; documents and
            # static files that set their own Cache-Control keep it, unless a reader is signed in.
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


def _signed_in(request):
    if cache.has_session_cookie(request):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
