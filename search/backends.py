"""Wagtail's Elasticsearch 8 backend, with the platform's access rule inside every query.

`BACKEND: "search.backends"` (set in `config/settings/base.py` when `ELASTICSEARCH_URL` is
set). Wagtail's own indexing and admin search work as with the stock backend; the platform's
search (`search.elastic`) asks `search_entries`, which sends ONE request to the index of
`SearchEntry` documents holding:

- the words typed, each in a `multi_match` over the French and English fields (the user's text
  never reaches a `query_string`, so Lucene syntax is never interpreted);
- in `bool.filter`, the reader's rule (`wiki.access.reader_rule`, read from the database for
  this request, so a privacy change applies at once): one `terms` clause on the documents'
  `ancestor_paths` listing the restricted pages the reader fails, whatever their number (not
  one clause per page, which is what breaks Wagtail's `.public()` at 1 024 private pages),
  the page types visitors may see, and for a guest the areas they were invited to;
- the facet filters, the language scope as a `post_filter` (so the language facet can count
  the other language), terms aggregations for every facet, `track_total_hits`, `from`/`size`.

Results, counts, facets and suggestions therefore come only from documents the rule lets the
reader see; nothing is filtered after paging.
"""

from copy import deepcopy

from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchQueryCompiler,
)
from modelsearch.query import PlainText
from modelsearch.utils import deep_update

from .models import SearchEntry

TEXT_FIELDS = ("title_fr", "text_fr", "tags_fr", "title_en", "text_en", "tags_en")
# Facet name -> SearchEntry search field.
FACET_FIELDS = {
    "workspace": "workspace_key",
    "kind": "kind",
    "deliverable_type": "deliverable_type",
    "year": "year",
    "licence": "licence_key",
    "tag": "tag_names",
}
MAX_FACET_VALUES = 20
# No search may hold a worker longer than this (as `search.views.QUERY_SECONDS` on the
# database): the client gives up, and Elasticsearch stops its shards' work.
SEARCH_SECONDS = 3


class CopElasticsearch8Mapping(Elasticsearch8Mapping):
    # Wagtail searches autocomplete fields with the `standard` analyzer, which keeps accents,
    # while the edge n-grams were folded: "santé" would never complete "Santé publique".
    edgengram_analyzer_config = {
        "analyzer": "edgengram_analyzer",
        "search_analyzer": "cop_autocomplete",
    }


def column(name):
    """The Elasticsearch field of a `SearchEntry` search field (`kind` -> `kind_filter`)."""
    mapping = CopElasticsearch8Mapping(SearchEntry)
    field = next(f for f in SearchEntry.get_search_fields() if f.field_name == name)
    return mapping.get_field_column_name(field)


def outermost(paths):
    """`paths` without those below another of them: a page below a blocked page has that page
    among its ancestors too, so the shorter list blocks exactly the same pages."""
    kept = []
    for path in sorted(paths):
        # Sorted, the paths below one come right after it.
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def rule_filters(rule):
    """The reader's rule (`wiki.access.ReaderRule`) as `bool.filter` clauses; none for a
    superuser. Each list of paths is ONE `terms` clause, whatever its length (up to the index's
    `max_terms_count`, 65 536 by default: beyond, Elasticsearch refuses the query and search
    says it is unavailable)."""
    if rule.everything:
        return []
    paths = column("ancestor_paths")
    filters = []
    if rule.page_types is not None:
        # Visitors see only some page types; partner organisations are not pages.
        filters.append(
            {
                "bool": {
                    "should": [
                        {"terms": {column("page_type"): list(rule.page_types)}},
                        {"bool": {"must_not": {"exists": {"field": column("page_type")}}}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    readable = {"bool": {"must_not": [{"terms": {paths: outermost(rule.blocked_paths)}}]}}
    if rule.guest_areas:
        # A guest invitation lifts the restrictions on its area and the area's ancestors.
        alternatives = [readable]
        for area in rule.guest_areas:
            # Reduced only now: a restriction below the area may lie below one it lifts.
            still_blocked = outermost(rule.still_blocked_in(area))
            alternative = {"bool": {"filter": [{"term": {paths: area}}]}}
            if still_blocked:
                alternative["bool"]["must_not"] = [{"terms": {paths: list(still_blocked)}}]
            alternatives.append(alternative)
        filters.append({"bool": {"should": alternatives, "minimum_should_match": 1}})
    elif rule.blocked_paths:
        filters.append(readable)
    return filters


class CopSearchQueryCompiler(Elasticsearch8SearchQueryCompiler):
    """Wagtail's query compiler for `SearchEntry`, with one clause per word or phrase typed
    (every one must match, in any field), the reader's rule and the filters Wagtail cannot
    derive from a queryset (tags) added to `bool.filter`, and the kind boosts of the database
    engine (`engine.KIND_BOOST`) applied to the score."""

    mapping_class = CopElasticsearch8Mapping

    def __init__(self, queryset, query, *, words=(), rule=None, extra_filters=(), **kwargs):
        super().__init__(queryset, query, **kwargs)
        self.words = list(words)
        self.rule = rule
        self.extra_filters = list(extra_filters)

    def _word_clause(self, words, prefix):
        fields = [field.field_name_with_boost for field in self.remapped_fields]
        text = " ".join(words)
        if prefix:
            # Suggestions while typing: the last word may be incomplete.
            return {
                "bool": {
                    "should": [
                        {"multi_match": {"query": text, "type": "phrase_prefix", "fields": fields}},
                        {"match": {column("title"): {"query": text, "operator": "and"}}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        # A word that is a stop word for Elasticsearch's analyzer but not for ours must not
        # make the whole query match nothing.
        clause = {"query": text, "fields": fields, "zero_terms_query": "all"}
        if len(words) > 1:
            clause["type"] = "phrase"
        return {"multi_match": clause}

    def get_inner_query(self):
        if not self.words:
            return super().get_inner_query()
        return {"bool": {"must": [self._word_clause(words, prefix) for words, prefix in self.words]}}

    def get_filters(self):
        filters = super().get_filters()
        if self.rule is None:
            # Never a query without the rule: a caller that forgot it gets nothing.
            return [*filters, {"bool": {"must_not": {"match_all": {}}}}]
        return [*filters, *rule_filters(self.rule), *self.extra_filters]

    def get_query(self):
        from .engine import KIND_BOOST

        kind = column("kind")
        return {
            "function_score": {
                "query": super().get_query(),
                "functions": [
                    {"filter": {"term": {kind: name}}, "weight": boost} for name, boost in KIND_BOOST.items()
                ],
                "score_mode": "first",
                "boost_mode": "multiply",
            }
        }


class CopElasticsearch8SearchBackend(Elasticsearch8SearchBackend):
    """Wagtail's Elasticsearch 8 backend plus `search_entries`, the platform's search."""

    mapping_class = CopElasticsearch8Mapping
    entry_query_compiler_class = CopSearchQueryCompiler
    settings = deep_update(
        deepcopy(Elasticsearch8SearchBackend.settings),
        {
            "settings": {
                "analysis": {
                    "analyzer": {
                        "cop_autocomplete": {
                            "type": "custom",
                            "tokenizer": "standard",
                            "filter": ["asciifolding", "lowercase"],
                        }
                    }
                }
            }
        },
    )

    def entries_body(
        self, query, rule, scope, filters=None, sort="relevance", offset=0, limit=10, facets=True
    ):
        """The request `search_entries` sends (keyword arguments of the client's `search`)."""
        filters = filters or {}
        queryset = SearchEntry.objects.all()
        extra_filters = []
        for name, value in filters.items():
            if value in (None, "") or name == "language":
                continue
            if name == "tag":
                extra_filters.append({"term": {column("tag_names"): value}})
            elif name in FACET_FIELDS:
                # Wagtail turns these into `term` filters on the indexed facet fields.
                queryset = queryset.filter(**{FACET_FIELDS[name]: value})
        compiler = self.entry_query_compiler_class(
            queryset,
            PlainText(query.text),
            fields=list(TEXT_FIELDS),
            words=query.words,
            rule=rule,
            extra_filters=extra_filters,
        )
        language = column("language")
        body = {
            "index": self.get_index_for_model(SearchEntry).name,
            "query": compiler.get_query(),
            # The language scope applies to the hits, not to the aggregations: the language
            # facet shows what searching both languages would add.
            "post_filter": {"terms": {language: sorted(scope)}},
            "track_total_hits": True,
            "timeout": f"{SEARCH_SECONDS}s",
            "from_": offset,
            "size": limit,
            "source": False,
            "stored_fields": "pk",
        }
        if sort == "date":
            body["sort"] = [{column("date"): {"order": "desc", "missing": "_last"}}, "_score", {"pk": "asc"}]
        if facets:
            body["aggs"] = {
                "language": {"terms": {"field": language, "size": MAX_FACET_VALUES}},
                "in_scope": {
                    "filter": {"terms": {language: sorted(scope)}},
                    "aggs": {
                        name: {"terms": {"field": column(field), "size": MAX_FACET_VALUES}}
                        for name, field in FACET_FIELDS.items()
                    },
                },
            }
        return body

    def search_entries(self, *args, **kwargs):
        """Send the request of `entries_body`; returns Elasticsearch's response."""
        client = self.es.options(request_timeout=SEARCH_SECONDS)
        return client.search(**self.entries_body(*args, **kwargs))


SearchBackend = CopElasticsearch8SearchBackend
