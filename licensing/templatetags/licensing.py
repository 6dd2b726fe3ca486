"""Template tags for attribution: ``{% load licensing %}``.

- ``{% attribution licence title=page.title %}``: the names and logos of the parties to credit
  and the credit line in French and English, with the licence's summary.
- ``{% licence_link licence %}``: ``<link rel="license" href="…">`` for the page's head.
- ``{% licence_jsonld licence title=page.title url=page.full_url %}``: a schema.org JSON-LD
  script with the rights of the work. With ``base=json_ld`` (a JSON object, as text or dict,
  e.g. the repository's description of the item) the rights are merged into it, so that the
  page carries ONE JSON-LD object per item rather than two that could contradict each other.
"""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import attribution as attribution_api

register = template.Library()


@register.inclusion_tag("licensing/includes/attribution.html", takes_context=True)
def attribution(context, licence, title=""):
    language = (get_language() or "fr")[:2]
    if licence is None:
        return {"licence": None}
    localised = attribution_api.localised_licence(licence, language)
    return {
        "request": context.get("request"),
        "licence": localised,
        "licence_url": attribution_api.licence_page_url(licence, language),
        "parties": attribution_api.credited_parties(licence, language),
        "credit_fr": attribution_api.credit_line(licence, "fr", title=title),
        "credit_en": attribution_api.credit_line(licence, "en", title=title),
        "summary": localised.summary(language).splitlines(),
    }


@register.simple_tag(takes_context=True)
def licence_link(context, licence):
    if licence is None:
        return ""
    request = context.get("request")
    href = licence.url or attribution_api.licence_page_url(licence)
    if request is not None and not licence.url:
        href = request.build_absolute_uri(href)
    return format_html('<link rel="license" href="{}">', href)


@register.simple_tag(takes_context=True)
def licence_jsonld(context, licence, title="", url="", base=None):
    if isinstance(base, str):
        base = json.loads(base) if base.strip() else None
    if licence is None and not base:
        return ""
    data = dict(base) if base else {"@context": "https://schema.org", "@type": "CreativeWork"}
    if title and "name" not in data:
        data["name"] = str(title)
    if licence is not None:
        request = context.get("request")
        absolute = request.build_absolute_uri if request is not None else None
        data.update(
            attribution_api.jsonld(licence, title=title, url=url or data.get("url", ""), absolute=absolute)
        )
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    # Safe: every <, > and & of the JSON is escaped above.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
