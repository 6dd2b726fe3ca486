import functools

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class PerfConfig(AppConfig):
    """Caching of public pages (shared HTTP cache headers, purge, per-process fallback)."""

    name = "perf"
    verbose_name = _("Performance")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401

        _atomic_writes_only()
        _cached_locales_and_sites()


def _cached_locales_and_sites():
    """Wagtail reads the active locale (several times per page) and the request's site from
    the database each time; answer from the per-process copies of `wiki.locales` instead."""
    from wagtail.models import Locale, Site

    from wiki import locales

    Locale.get_active = classmethod(lambda cls: locales.active())
    Locale.get_default = classmethod(lambda cls: locales.default())
    Site._find_for_request = staticmethod(locales.site_for_request)


def _atomic_writes_only():
    """`ATOMIC_REQUESTS` for the requests that may write, not for reads.

    Django wraps every view in a transaction when `ATOMIC_REQUESTS` is on; on SQLite that
    transaction starts with `BEGIN IMMEDIATE`, the database's single write lock, so every
    page view would wait for the one before it. Reads (GET, HEAD, OPTIONS) need no transaction:
    their views run in autocommit unless `ATOMIC_READ_REQUESTS` is set; other methods keep
    Django's behaviour (the view's exception rolls everything back).
    """
    from django.conf import settings
    from django.core.handlers.base import BaseHandler

    original = BaseHandler.make_view_atomic
    if getattr(original, "_cop_atomic_writes_only", False):
        return

    def make_view_atomic(self, view):
        atomic_view = original(self, view)
        if atomic_view is view or getattr(settings, "ATOMIC_READ_REQUESTS", True):
            return atomic_view

        @functools.wraps(view)
        def atomic_unless_read(request, *args, **kwargs):
            if request.method in SAFE_METHODS:
                return view(request, *args, **kwargs)
            return atomic_view(request, *args, **kwargs)

        return atomic_unless_read

    make_view_atomic._cop_atomic_writes_only = True
    BaseHandler.make_view_atomic = make_view_atomic
