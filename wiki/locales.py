"""The content locales, read once per process.

Wagtail looks the active locale up in the database several times per page (routing, menus,
language switcher); the two rows never change while the site runs, so each process keeps
them, like Django's content-type cache, and forgets them whenever a locale is saved or deleted.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

_locales = {}


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
    return get(get_language()) or Locale.get_default()


def clear_cache():
    _locales.clear()


@receiver([post_save, post_delete], sender=Locale)
def _locale_changed(sender, **kwargs):
    clear_cache()
