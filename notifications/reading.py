"""Remembering, cheaply, which version of a page a member has read and whether they watch it.

Serving a page asks this module once. The answer is kept in Django's cache per person and
page, so a member re-reading an unchanged page costs no query; the database is written only
the first time they open a version of the page they have not seen. The cache key carries a
number kept in the person's session that changes whenever they start or stop watching, so
the button they just pressed shows its new state whichever process serves the next page.
"""

import time

from django.core.cache import cache
from django.utils import timezone

from .models import PageReader

CACHE_SECONDS = 300
SESSION_KEY = "cop_watch_version"


def _cache_key(request, page_key):
    version = request.session.get(SESSION_KEY, 0)
    return f"notifications:reader:{request.user.pk}:{page_key.hex}:{version}"


def watch_changed(request):
    """Call after changing what the person watches: their next page shows the new state."""
    request.session[SESSION_KEY] = time.time_ns()


def record_visit(request, page):
    """Note that the signed-in reader opened `page`; returns whether they watch it."""
    key = _cache_key(request, page.translation_key)
    state = cached = cache.get(key)
    if cached is None:
        state = PageReader.objects.filter(user=request.user, page_key=page.translation_key).values_list(
            "watching", "last_seen_at"
        ).first() or (False, None)
    watching, seen = state
    changed = page.last_published_at
    if seen is None or (changed is not None and changed > seen):
        seen = timezone.now()
        rows = PageReader.objects.filter(user=request.user, page_key=page.translation_key)
        if not rows.update(last_seen_at=seen):
            PageReader.objects.get_or_create(
                user=request.user, page_key=page.translation_key, defaults={"last_seen_at": seen}
            )
    if cached != (watching, seen):
        cache.set(key, (watching, seen), CACHE_SECONDS)
    return watching
