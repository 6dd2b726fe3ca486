"""Which responses may be kept by a cache shared between readers, and the page cache itself.

Only a page that the one access rule (`wiki.access`) shows to anonymous visitors, requested
without a session cookie, answered 200 without setting a cookie, is public: it gets
`Cache-Control: public, max-age=0, s-maxage=N` so that a shared cache (Varnish or nginx, see
`deploy/`) keeps it and browsers revalidate. Everything else gets `Cache-Control: private`.

Without a shared cache in front (the embedded default), `PageCacheMiddleware` keeps public
pages in Django's cache. Its entries are tied to a *generation*: the modification time of a
stamp file touched on every publish and access change, so that every process on the host (and
every host, when the stamp lives on the shared file system) stops serving old copies at once.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

PUBLIC_MARK = "_cop_public_page"


def stamp_path():
    return Path(settings.PAGE_CACHE_STAMP)


def generation():
    """The current generation of public content (changes whenever any of it may have)."""
    try:
        return os.stat(stamp_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


def bump():
    """Invalidate every page kept by the per-process cache, in every process."""
    path = stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    # Two bumps within the file system's time resolution must still differ.
    now = generation()
    os.utime(path, ns=(now + 1, now + 1))


def is_public(request, response):
    """May this response be kept by a cache shared between readers?"""
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and getattr(request, PUBLIC_MARK, False)
        and not has_session_cookie(request)
        and not getattr(getattr(request, "user", None), "is_authenticated", False)
        and not response.cookies
        and not response.streaming
    )


def has_session_cookie(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def store():
    return caches[settings.PAGE_CACHE_ALIAS]


def key(request, current_generation):
    return f"cop-page:{current_generation}:{request.get_host()}:{request.get_full_path()}"
