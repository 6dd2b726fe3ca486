"""Full-text queries over `SearchEntry` with the access rule inside the same SQL statement.

The full-text index (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL) yields the
candidates; `wiki.access.viewable_page_condition` keeps only those the reader may view; the
database ranks, pages, counts and facets what is left. Only the entries of the current page
of results are loaded. Nothing is filtered after paging, so counts, facets, snippets and
suggestions never include content the reader may not view.
"""

import uuid
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
POSTGRES_RANK = "ts_rank(cop_search_searchentry.search_vector, %s, 1)"
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


# PostgreSQL text search configuration of each language (migration 0004): unaccent, then the
# language's Snowball stemmer and stop words.
POSTGRES_CONFIGS = {"fr": "cop_french", "en": "cop_english"}


def _tsquery(query):
    """A tsquery expression (SQL with placeholders) and its parameters.

    Each clause matches in any of the languages searched, analysed by that language's
    configuration, as the content was; a clause that PostgreSQL finds to be only stop words is
    left out, as the database's own parser does.
    """
    clauses, params = [], []
    for words, prefix in query.words:
        options = []
        for language in query.languages:
            config = POSTGRES_CONFIGS.get(language, "cop_french")
            if prefix:
                # Words are \w+ (no quote or operator can reach the parser); the typed start
                # of a word matches as written and as stemmed.
                options.append(f"to_tsquery('{config}', %s)")
                params.append(f"'{words[0]}':*")
                options.append("to_tsquery('simple', %s)")
                params.append(f"'{words[0]}':*")
            elif len(words) > 1:
                options.append(f"phraseto_tsquery('{config}', %s)")
                params.append(" ".join(words))
            else:
                options.append(f"plainto_tsquery('{config}', %s)")
                params.append(words[0])
        clauses.append("(" + " || ".join(options) + ")")
    return "(" + " && ".join(clauses) + ")", params


def visible_entries(user):
    """Entries `user` may see: partner organisations (public) and pages the rule allows."""
    visible_page = access.viewable_page_condition(user, "page_id")
    return SearchEntry.objects.filter(Q(page__isnull=True) | Q(visible_page))


def visible_entry_parts(user):
    """`visible_entries` as two querysets to be added up: the pages the rule allows, and the
    partner organisations. Kept apart because an EXISTS inside an OR cannot be planned as a
    join: PostgreSQL then works out the rule for every page of the site (5 s at 50 000 pages
    for a rare word) instead of for the matching ones."""
    visible_page = access.viewable_page_condition(user, "page_id")
    return (
        SearchEntry.objects.filter(page__isnull=False).filter(visible_page),
        SearchEntry.objects.filter(page__isnull=True),
    )


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
        tsquery, params = _tsquery(query)
        return queryset.extra(  # noqa: S610 - bound parameters only
            where=[f"cop_search_searchentry.search_vector @@ {tsquery}"],
            params=params,
            select={"score": POSTGRES_RANK % tsquery},
            select_params=params,
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
    if connection.vendor == "postgresql":
        base = [_matching(_apply_filters(part, filters), query) for part in visible_entry_parts(user)]
    else:
        # SQLite checks the rule row by row either way; one pass over the matches is cheaper.
        base = _matching(_apply_filters(visible_entries(user), filters), query)
    scope = set(languages)
    if filters.get("language") in analysis.LANGUAGES:
        scope = {filters["language"]}
    top, total, facet_counts = aggregate(base, scope, sort, offset, limit, facets)
    entries = SearchEntry.objects.in_bulk([entry_id for entry_id, _score in top])
    hits = []
    for entry_id, score in top:
        entry = entries.get(entry_id)
        if entry is not None:
            entry.score = score
            hits.append(entry)
    return Results(total=total, hits=hits, facets=facet_counts)


TAG_SEPARATOR = "\x1f"


def _boosted_score():
    cases = " ".join(f"WHEN '{kind}' THEN {boost}" for kind, boost in KIND_BOOST.items())
    return f"(score * CASE kind {cases} ELSE 1.0 END)"


def aggregate(base, scope, sort="relevance", offset=0, limit=10, facets=True):
    """One SQL statement over the matching, visible entries: the requested page of results,
    the number of results and every facet's counts.

    The matching rows are computed once (a materialised CTE), so the access rule runs once
    per candidate whatever the number of facets, and the facets are one grouping pass over
    every facet column together (a few hundred groups even for tens of thousands of matches),
    added up per facet here, instead of one pass per facet. `scope` is the set of languages
    searched; the language facet counts every language so the reader sees what the other
    would add. Returns ([(entry id, score)], total, {facet: [(value, count)]}).
    """
    columns = ["id", "kind", "language", "date", "score", *FACET_COLUMNS.values()]
    columns = list(dict.fromkeys(columns))
    # `base` is a queryset or a list of querysets whose rows are added up (UNION ALL).
    hits_sql, hits_params = [], []
    for part in base if isinstance(base, list | tuple) else [base]:
        sql, params = part.values(*columns).query.sql_with_params()
        hits_sql.append(f"SELECT * FROM ({sql}) hits_part")  # noqa: S608 - compiled by Django
        hits_params.extend(params)
    hits_sql = " UNION ALL ".join(hits_sql)
    scope = sorted(scope)
    marks = ", ".join(["%s"] * len(scope))
    if sort == "date":
        order = f"date DESC NULLS LAST, {_boosted_score()} DESC, id"
    else:
        order = f"{_boosted_score()} DESC, id"
    facet_columns = list(FACET_COLUMNS.values())
    width = len(facet_columns) + 1
    nulls = ", ".join(["NULL"] * (width - 2))
    parts = [
        # Only constants and placeholders are formatted into these statements.
        f"SELECT 'top', CAST(id AS TEXT), {nulls}, score FROM ("  # noqa: S608
        f"SELECT id, score FROM hits WHERE language IN ({marks}) ORDER BY {order} LIMIT %s OFFSET %s"
        ") top_hits"
    ]
    params = [*scope, limit, offset]
    if facets:
        cast = ", ".join(f"CAST({column} AS TEXT)" for column in facet_columns)
        grouped = ", ".join(facet_columns)
        parts.append(f"SELECT 'groups', {cast}, COUNT(*) FROM hits GROUP BY {grouped}")  # noqa: S608
        parts.append(
            f"SELECT * FROM (SELECT 'tag', t.name, {nulls}, COUNT(*) FROM hits "  # noqa: S608
            f"JOIN cop_search_searchtag t ON t.entry_id = hits.id WHERE hits.language IN ({marks}) "
            f"GROUP BY t.name ORDER BY COUNT(*) DESC, t.name LIMIT {MAX_FACET_VALUES}) f_tag"
        )
        params.extend(scope)
    else:
        parts.append(f"SELECT 'total', NULL, {nulls}, COUNT(*) FROM hits WHERE language IN ({marks})")  # noqa: S608
        params.extend(scope)
    sql = f"WITH hits AS MATERIALIZED ({hits_sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hits_params, *params])
        rows = cursor.fetchall()
    top, total = [], 0
    tallies = {name: {} for name in FACETS}
    language_index = facet_columns.index("language")
    for row in rows:
        kind, values, number = row[0], row[1:-1], row[-1]
        if kind == "top":
            top.append((int(values[0]), number))
        elif kind == "total":
            total = int(number)
        elif kind == "tag":
            tallies["tag"][values[0]] = int(number)
        else:
            in_scope = values[language_index] in scope
            if in_scope:
                total += int(number)
            for name, value in zip(FACET_COLUMNS, values, strict=True):
                if value in (None, "") or (name != "language" and not in_scope):
                    continue
                tallies[name][value] = tallies[name].get(value, 0) + int(number)
    counts = {}
    for name, tally in tallies.items():
        best = sorted(tally.items(), key=lambda item: (-item[1], str(item[0])))[:MAX_FACET_VALUES]
        counts[name] = [(_facet_value(name, value), number) for value, number in best]
    return top, total, counts


def _facet_value(name, value):
    if name in ("workspace", "licence"):
        return _uuid(value)
    if name == "year":
        return int(value)
    return value
