"""Search through Elasticsearch (used when ELASTICSEARCH_URL is set).

The reader's rule is read from the database for this request (`wiki.access.reader_rule`) and
sent INSIDE the Elasticsearch query (`search.backends`): Elasticsearch ranks, pages, counts
and aggregates only the documents the reader may see, in one request. Only the entries of the
page of results are then read from the database, by id, through the same rule in SQL
(`engine.visible_entries`), which changes nothing unless the Elasticsearch index is stale.
If Elasticsearch cannot answer, or the configured backend is not the platform's, the search
page says search is unavailable: there is never a query without the rule.
"""

import logging
import uuid

from django.conf import settings
from wagtail.search.backends import get_search_backend

from wiki import access

from . import analysis, engine
from .backends import CopElasticsearch8SearchBackend

logger = logging.getLogger(__name__)


_backends = {}


def backend():
    """The configured backend, if it is the platform's Elasticsearch backend (one per
    configuration and process, so its client keeps its connections between requests)."""
    key = repr(settings.WAGTAILSEARCH_BACKENDS.get("default"))
    if key not in _backends:
        _backends.clear()
        _backends[key] = get_search_backend("default")
    configured = _backends[key]
    if not isinstance(configured, CopElasticsearch8SearchBackend):
        # Wagtail's stock backend cannot carry the rule: refuse rather than search without it.
        raise engine.SearchUnavailable(f"{type(configured).__name__} cannot apply the access rule")
    return configured


def _facet_value(name, value):
    if name in ("workspace", "licence"):
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None
    if name == "year":
        return int(value)
    return value


def _facets(aggregations):
    counts = {}
    buckets = {"language": aggregations.get("language", {}).get("buckets", [])}
    for name, aggregation in aggregations.get("in_scope", {}).items():
        if isinstance(aggregation, dict) and "buckets" in aggregation:
            buckets[name] = aggregation["buckets"]
    for name in engine.FACETS:
        values = []
        for bucket in buckets.get(name, []):
            value = _facet_value(name, bucket["key"])
            if value not in (None, ""):
                values.append((value, int(bucket["doc_count"])))
        counts[name] = sorted(values, key=lambda item: (-item[1], str(item[0])))
    return counts


def search(user, query, languages, filters=None, sort="relevance", offset=0, limit=10, facets=True):
    """Same arguments and `engine.Results` as `engine.search`."""
    filters = filters or {}
    if not query:
        return engine.Results()
    scope = set(languages)
    if filters.get("language") in analysis.LANGUAGES:
        scope = {filters["language"]}
    es = backend()
    rule = access.reader_rule(user)
    try:
        response = es.search_entries(query, rule, scope, filters, sort, offset, limit, facets)
    except Exception as error:  # the client raises many kinds; every one means "unavailable"
        logger.warning("Elasticsearch failed: %s", error)
        raise engine.SearchUnavailable(str(error)) from error
    hits = response.get("hits", {})
    scores = {}
    for hit in hits.get("hits", []):
        entry_id = int(hit["fields"]["pk"][0])
        scores[entry_id] = hit.get("_score")
    entries = engine.visible_entries(user).in_bulk(list(scores))
    results = engine.Results(total=int(hits.get("total", {}).get("value", 0)))
    for entry_id, score in scores.items():
        entry = entries.get(entry_id)
        if entry is not None:
            entry.score = score
            results.hits.append(entry)
    if facets:
        results.facets = _facets(response.get("aggregations", {}))
    return results
