"""Parts of a page that are the same on every view by the same reader, kept between requests.

A signed-in page costs a few dozen ORM queries to build (menu, language links, the
workspace's page tree, the body with its resolved links, backlinks), most of which do not
change from one view to the next. They are kept in Django's cache (shared by every process
when CACHE_URL points to Redis), per reader and language, under the *content generation*
that `perf` puts on the request (`request.cop_generation`): the stamp it changes on every
publish, move, deletion, access or membership change. A new generation means new keys, so
nothing stale is ever read; old entries simply expire.

Off when `FRAGMENT_CACHE_SECONDS` is 0 (the test settings), or when no generation is known.
"""

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language


def cached(request, name, compute, *parts):
    """`compute()`, or its value kept for this reader, language and content generation."""
    user = getattr(request, "user", None)
    reader = user.pk if user is not None and user.is_authenticated else "anonymous"
    return _kept(request, compute, name, reader, get_language(), *parts)


def shared(request, name, compute, *parts):
    """`compute()`, or its value kept for this content generation, whoever reads.

    Only for data that is the same for every reader (a page's view restrictions, its
    ancestors): never for anything that depends on who asks, nor for a decision about them.
    """
    return _kept(request, compute, name, "all", *parts)


def cache():
    """Where the parts kept under the content generation live (settings.FRAGMENT_CACHE_ALIAS:
    in front of a shared cache, each process keeps what it has read, perf.cache_backends)."""
    return caches[getattr(settings, "FRAGMENT_CACHE_ALIAS", "default")]


def _kept(request, compute, name, *parts):
    seconds = getattr(settings, "FRAGMENT_CACHE_SECONDS", 0)
    generation = getattr(request, "cop_generation", None)
    if not seconds or generation is None:
        return compute()
    key = ":".join(str(part) for part in ("cop-fragment", name, generation, *parts))
    kept = cache()
    value = kept.get(key)
    if value is None:
        value = compute()
        kept.set(key, value, seconds)
    return value
