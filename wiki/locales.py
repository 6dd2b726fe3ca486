"""The content locales and the sites, read once per process.

Wagtail looks the active locale up in the database several times per page (routing, menus,
language switcher, rich text) and the site once per request; these rows practically never
change while the site runs, so each process keeps them, like Django's content-type cache,
and forgets them whenever a locale or a site is saved or deleted (sites also after
`SITE_SECONDS`, for changes made by another process). `perf.apps` makes Wagtail's own
`Locale.get_active`, `Locale.get_default` and `Site.find_for_request` use them.
"""

import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Site
from wagtail.models.sites import get_site_for_hostname

SITE_SECONDS = 60
_locales = {}
_sites = {}


def get(language_code):
    """The locale of `language_code` (or of its supported variant); None when it has none."""
    try:
        code = get_supported_content_language_variant(language_code)
    except LookupError:
        return None
    if code not in _locales:
        _locales[code] = Locale.objects.filter(language_code=code).first()
    return _locales[code]


def active():
    """The locale of the active language, like `Locale.get_active()` (the default if none)."""
    return get(get_language()) or default()


def default():
    """The locale of `LANGUAGE_CODE`, like `Locale.get_default()`."""
    locale = get(settings.LANGUAGE_CODE)
    if locale is None:
        raise Locale.DoesNotExist("No locale for LANGUAGE_CODE")
    return locale


def site_for_request(request):
    """The site answering this request, like Wagtail's `Site._find_for_request`."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = (hostname, port)
    entry = _sites.get(key)
    now = time.monotonic()
    if entry is None or entry[0] < now:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            site = None
        entry = (now + SITE_SECONDS, site)
        _sites[key] = entry
    return entry[1]


def clear_cache():
    _locales.clear()
    _sites.clear()


@receiver([post_save, post_delete], sender=Locale)
@receiver([post_save, post_delete], sender=Site)
def _changed(sender, **kwargs):
    clear_cache()
