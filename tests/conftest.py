"""Fixtures shared by every test suite."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.utils import translation

from wiki import locales


@pytest.fixture(autouse=True)
def _clean_slate():
    """Start every test in French, the default language, with empty caches.

    A request handled by the test client leaves its language active in the thread, so a
    test that reverses URLs would otherwise depend on the language of the test before it.
    Wagtail keeps the site's root paths in the cache and several features (download counting,
    the page cache) use it too; a value left by a test whose data was rolled back would
    otherwise point the next test at pages that no longer exist. For the same reason the
    in-process content-type cache is emptied: a database flush by a transactional test
    recreates content types under new ids.
    """
    translation.activate(settings.LANGUAGE_CODE)
    ContentType.objects.clear_cache()
    locales.clear_cache()
    for cache in caches.all():
        cache.clear()
    yield
    translation.activate(settings.LANGUAGE_CODE)
