"""Search through Wagtail's Elasticsearch 8 backend (used when ELASTICSEARCH_URL is set).

Elasticsearch ranks; it never decides visibility. Its best `WINDOW` candidates (page and
partner ids, one `terms` list, whatever the number of private pages) are intersected in one
SQL query with the platform's own index and the access rule (`engine.visible_entries`), so
results, counts, facets and snippets obey exactly the same rule as the database backend.
If Elasticsearch cannot answer, the search page says so: there is no fallback to a query
without the rule. Counts are those of the candidate window (at most `WINDOW` per model).
"""

import logging

from django.db.models import Q

from . import engine

logger = logging.getLogger(__name__)

WINDOW = 500


def _candidates(query, languages):
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from licensing.models import PartnerOrganisation

    backend = get_search_backend("default")
    text = " ".join(query.text.split())[:500]
    # Indexed filter fields only (`locale`, `live`): a lookup through the locale's language
    # code is not in the index and would fail every query.
    locales = list(Locale.objects.filter(language_code__in=languages).values_list("pk", flat=True))
    pages = Page.objects.live().filter(locale__in=locales)
    partners = PartnerOrganisation.objects.filter(locale__in=locales)
    try:
        # Wagtail sends a `match` query: Lucene syntax in `text` is never interpreted.
        page_ids = [p.pk for p in backend.search(text, pages, operator="and")[:WINDOW]]
        partner_ids = [p.pk for p in backend.search(text, partners, operator="and")[:WINDOW]]
    except Exception as error:  # the client raises many kinds; every one means "unavailable"
        logger.warning("Elasticsearch failed: %s", error)
        raise engine.SearchUnavailable(str(error)) from error
    return page_ids, partner_ids


def search(user, query, languages, filters=None, sort="relevance", offset=0, limit=10, facets=True):
    filters = filters or {}
    if not query:
        return engine.Results()
    scope = {filters["language"]} if filters.get("language") else set(languages)
    page_ids, partner_ids = _candidates(query, sorted(scope))
    if not page_ids and not partner_ids:
        return engine.Results()
    rank = {("page", pk): i for i, pk in enumerate(page_ids)}
    rank.update({("partner", pk): i + 0.5 for i, pk in enumerate(partner_ids)})
    base = engine._matching(engine._apply_filters(engine.visible_entries(user), filters), query).filter(
        Q(page_id__in=page_ids) | Q(partner_id__in=partner_ids)
    )
    rows = list(base.filter(language__in=sorted(scope)).values_list("id", "page_id", "partner_id", "date"))

    def position(row):
        key = ("page", row[1]) if row[1] else ("partner", row[2])
        return rank.get(key, WINDOW)

    if sort == "date":
        rows.sort(key=lambda r: (r[3] is None, -(r[3].toordinal() if r[3] else 0), position(r)))
    else:
        rows.sort(key=position)
    window = [r[0] for r in rows[offset : offset + limit]]
    entries = engine.SearchEntry.objects.in_bulk(window)
    hits = [entries[i] for i in window if i in entries]
    results = engine.Results(hits=hits, total=len(rows))
    if facets:
        _top, results.total, results.facets = engine.aggregate(base, scope, limit=0)
    return results
