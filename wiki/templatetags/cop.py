from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, override
from wagtail.models import Locale

from .. import access

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same content in the other languages.

    On a page, each link goes to its translation when the reader may see one, and otherwise
    to a notice that says no translation exists yet; elsewhere it translates the URL.
    """
    request = context["request"]
    page = context.get("page")
    current = get_language()
    links = []
    locales = {loc.language_code: loc for loc in Locale.objects.all()} if page else {}
    for code, label in settings.LANGUAGES:
        if code == current:
            continue
        if page is not None and code in locales:
            translation = page.get_translation_or_none(locales[code])
            if translation is not None and access.can_view_page(request.user, translation):
                url = translation.url
            else:
                with override(code):
                    url = reverse("translation_missing", args=[page.pk])
        else:
            url = translate_url(request.get_full_path(), code)
        with override(code):
            links.append({"code": code, "label": str(label), "url": url})
    return {"links": links}
