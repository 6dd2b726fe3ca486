"""What the platform knows about a signed-in reader, kept between their requests.

Every signed-in page needs the same facts about its reader: their groups and current
memberships (the one access rule, `wiki.access`), their Django permissions (the admin link)
and their Wagtail page permissions ("Edit this page"). They are read once, then kept in
Django's cache per reader, per day (a membership ends at midnight without any write) and per
content generation (`perf.cache`): every change of groups, memberships, permissions, page
permissions or restrictions starts a new generation (`perf.signals`), so nothing stale is read.

Only facts about the reader are kept, never an answer to "may this reader see that page": the
rule still decides on every request. Off when `FRAGMENT_CACHE_SECONDS` is 0 (the test settings).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from wagtail.models import GroupPagePermission, Page

from wiki import access, fragments

from . import cache

# Where Django's ModelBackend and Wagtail's page permission policy keep what they read on the
# user object for one request: filled from the cache, read back after the response.
PERMISSION_ATTRIBUTES = ("_user_perm_cache", "_group_perm_cache", "_perm_cache", "_page_permission_cache")


def key(request):
    """The cache key of this request's reader, or None (not signed in, or caching off)."""
    seconds = getattr(settings, "FRAGMENT_CACHE_SECONDS", 0)
    generation = getattr(request, "cop_generation", None)
    if not seconds or generation is None or not cache.has_session_cookie(request):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    # Flags that change permissions without any signal are part of the key.
    return (
        f"cop-reader:{generation}:{user.pk}:{int(user.is_superuser)}:{int(user.is_staff)}:"
        f"{timezone.localdate().isoformat()}"
    )


def _unwrap(user):
    """The user object itself (django-otp wraps the lazy request.user in another one)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user


def facts(user, known=None):
    """What this request has read about `user` so far (`known`: what it started with, reused
    as it is rather than prepared again)."""
    known = known or {}
    found = {"access": access.reader_facts(user)}
    target = _unwrap(user)
    for name in PERMISSION_ATTRIBUTES:
        if name in known:
            found[name] = known[name]
        elif name in target.__dict__:
            value = target.__dict__[name]
            if isinstance(value, (set, frozenset)):
                found[name] = set(value)
            else:
                # Wagtail keeps a queryset of page permissions with their whole pages.
                found[name] = [_slim(permission) for permission in value]
    return found


def _slim(permission):
    """A page permission with only what Wagtail's checks read of its page (id, path, depth):
    a fraction of the whole page to keep and read back. Any other field of the page would be
    loaded from the database on first use, as for any deferred field."""
    page = permission.page
    slim_page = Page.from_db(page._state.db, ["id", "path", "depth"], [page.id, page.path, page.depth])
    slim = GroupPagePermission.from_db(
        permission._state.db,
        ["id", "group_id", "page_id", "permission_id"],
        [permission.id, permission.group_id, permission.page_id, permission.permission_id],
    )
    slim.page = slim_page
    slim.permission = permission.permission
    return slim


def install(user, known):
    """Give this request's user object what earlier requests read."""
    access.remember_reader(user, known.get("access") or {})
    target = _unwrap(user)
    for name in PERMISSION_ATTRIBUTES:
        if name in known:
            value = known[name]
            setattr(target, name, set(value) if isinstance(value, (set, frozenset)) else list(value))


def _size(known):
    return len(known.get("access") or {}) + sum(1 for name in PERMISSION_ATTRIBUTES if name in known)


class ReaderCacheMiddleware:
    """Placed after authentication: installs the reader's kept facts, keeps new ones."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reader_key = key(request)
        known = None
        if reader_key is not None:
            known = fragments.cache().get(reader_key)
            if known:
                install(request.user, known)
        response = self.get_response(request)
        # Only what was read within one generation is kept (nothing changed during the request).
        if reader_key is not None and cache.generation() == request.cop_generation:
            now = facts(request.user, known)
            if _size(now) > _size(known or {}):
                fragments.cache().set(reader_key, now, settings.FRAGMENT_CACHE_SECONDS)
        return response
