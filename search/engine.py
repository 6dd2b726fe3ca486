"""Full-text queries over `SearchEntry` with the access rule inside the same SQL statement.

The full-text index (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL) yields the
candidates; `wiki.access.viewable_page_condition` keeps only those the reader may view; the
database ranks, pages, counts and facets what is left. Only the entries of the current page
of results are loaded. Nothing is filtered after paging, so counts, facets, snippets and
suggestions never include content the reader may not view.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from wiki import access

from . import analysis
from .models import SearchEntry

FACETS = ("workspace", "kind", "deliverable_type", "language", "tag", "year", "licence")
# Facet name -> SearchEntry column.
FACET_COLUMNS = {
    "workspace": "workspace_key",
    "kind": "kind",
    "deliverable_type": "deliverable_type",
    "language": "language",
    "year": "year",
    "licence": "licence_key",
}
MAX_FACET_VALUES = 20
# Title matches weigh more than body matches; deliverables and workspaces are what people look
# for most, so they win ties against meeting notes that merely mention them.
SQLITE_RANK = "bm25(cop_search_fts, 6.0, 1.0)"
POSTGRES_RANK = "ts_rank(cop_search_searchentry.search_vector, to_tsquery('simple', %s), 1)"
KIND_BOOST = {"workspace": 1.3, "deliverable": 1.2, "partner": 1.2, "wiki": 1.0, "meeting": 0.9}


class SearchUnavailable(Exception):
    """The search service cannot answer; the page says so instead of failing."""


@dataclass
class Results:
    total: int = 0
    hits: list = field(default_factory=list)  # SearchEntry objects with `.score`
    facets: dict = field(default_factory=dict)  # name -> [(value, count)]


def _fts5_match(query):
    def token(t):
        return '"' + t.replace('"', "") + '"'

    clauses = []
    for alternatives in query.clauses:
        options = []
        for tokens, prefix in alternatives:
            phrase = token(" ".join(tokens))
            options.append(phrase + "*" if prefix else phrase)
        clauses.append("(" + " OR ".join(options) + ")")
    return " AND ".join(clauses)


def _tsquery(query):
    def token(t):
        # Tokens are \w+ already; quoting keeps the parser from reading anything as syntax.
        return "'" + t.replace("'", "").replace("\\", "") + "'"

    clauses = []
    for alternatives in query.clauses:
        options = []
        for tokens, prefix in alternatives:
            parts = [token(t) for t in tokens]
            if prefix:
                parts[-1] += ":*"
            options.append("(" + " <-> ".join(parts) + ")")
        clauses.append("(" + " | ".join(options) + ")")
    return " & ".join(clauses)


def visible_entries(user):
    """Entries `user` may see: partner organisations (public) and pages the rule allows."""
    visible_page = access.viewable_page_condition(user, "page_id")
    return SearchEntry.objects.filter(Q(page__isnull=True) | Q(visible_page))


def _matching(queryset, query):
    """`queryset` restricted to entries matching `query`, with a `score` (higher is better)."""
    if connection.vendor == "sqlite":
        # The match string is a bound parameter built from quoted word stems only.
        return queryset.extra(  # noqa: S610
            tables=["cop_search_fts"],
            where=["cop_search_fts.rowid = cop_search_searchentry.id", "cop_search_fts MATCH %s"],
            params=[_fts5_match(query)],
            select={"score": f"-{SQLITE_RANK}"},
        )
    if connection.vendor == "postgresql":
        tsquery = _tsquery(query)
        return queryset.extra(  # noqa: S610 - bound parameters only
            where=["cop_search_searchentry.search_vector @@ to_tsquery('simple', %s)"],
            params=[tsquery],
            select={"score": POSTGRES_RANK},
            select_params=[tsquery],
        )
    raise SearchUnavailable(f"No full-text index for {connection.vendor}")


def _apply_filters(queryset, filters):
    for name, value in filters.items():
        if value in (None, ""):
            continue
        if name == "tag":
            queryset = queryset.filter(tags__name=value)
        elif name in FACET_COLUMNS and name != "language":
            queryset = queryset.filter(**{FACET_COLUMNS[name]: value})
    return queryset


def _uuid(value):
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def search(user, query, languages, filters=None, sort="relevance", offset=0, limit=10, facets=True):
    """Run `query` (an `analysis.Query`) for `user`; see the module docstring."""
    filters = filters or {}
    if not query:
        return Results()
    base = _matching(_apply_filters(visible_entries(user), filters), query)
    scope = set(languages)
    if filters.get("language") in analysis.LANGUAGES:
        scope = {filters["language"]}
    in_scope = base.filter(language__in=sorted(scope))

    order = ["-score", "id"] if sort != "date" else ["-date", "-score", "id"]
    if sort == "date" and connection.vendor == "postgresql":
        from django.db.models import F

        order = [F("date").desc(nulls_last=True), "-score", "id"]
    rows = list(in_scope.order_by(*order).values_list("id", "score", "kind")[offset : offset + limit * 3])
    if sort != "date":
        # A gentle boost by kind, applied to a window a little larger than the page.
        rows.sort(key=lambda r: (-(r[1] or 0) * KIND_BOOST.get(r[2], 1.0), r[0]))
    rows = rows[:limit]
    scores = {r[0]: r[1] for r in rows}
    entries = SearchEntry.objects.in_bulk(list(scores))
    hits = []
    for entry_id in scores:
        entry = entries.get(entry_id)
        if entry is not None:
            entry.score = scores[entry_id]
            hits.append(entry)

    results = Results(hits=hits)
    if facets:
        results.total, results.facets = _facets(base, scope)
    else:
        results.total = in_scope.count()
    return results


TAG_SEPARATOR = "\x1f"


def _tag_list_sql():
    if connection.vendor == "postgresql":
        aggregate = "string_agg(t.name, chr(31))"
    else:
        aggregate = "group_concat(t.name, char(31))"
    return (
        f"(SELECT {aggregate} FROM cop_search_searchtag t "  # noqa: S608 - constant SQL
        "WHERE t.entry_id = cop_search_searchentry.id)"
    )


def _facets(base, scope):
    """The number of results and the facet counts, from one pass over the matching rows.

    `scope` is the set of languages searched; the language facet counts every language so
    that the reader sees what searching the other language would add.
    """
    columns = list(FACET_COLUMNS.values())
    counts = {name: Counter() for name in FACETS}
    total = 0
    rows = base.extra(select={"tag_list": _tag_list_sql()})  # noqa: S610 - constant SQL
    rows = rows.values_list("id", *columns, "tag_list")
    for row in rows.iterator(chunk_size=5000):
        values = dict(zip(columns, row[1:-1], strict=True))
        counts["language"][values["language"]] += 1
        if values["language"] not in scope:
            continue
        total += 1
        for name, column in FACET_COLUMNS.items():
            if name == "language":
                continue
            value = values[column]
            if name in ("workspace", "licence"):
                value = _uuid(value)
            if value not in (None, ""):
                counts[name][value] += 1
        if row[-1]:
            counts["tag"].update(row[-1].split(TAG_SEPARATOR))
    facets = {name: counts[name].most_common(MAX_FACET_VALUES) for name in FACETS}
    return total, facets
