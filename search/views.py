"""The search page and the suggestions endpoint of the search box.

Both are open to visitors who are not signed in: they only ever see what `wiki.access`
lets them see. Every failure of the search service becomes a message, never an error page.
"""

import contextlib
import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.models import Page

from wiki import access

from . import analysis, engine
from .models import SearchEntry, elasticsearch_configured

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_PAGE = 1000
SNIPPET_CHARS = 240
# No search may hold a worker longer than this.
QUERY_SECONDS = 3.0
FILTER_PARAMS = ("workspace", "kind", "deliverable_type", "lang", "tag", "year", "licence")
# Facet name -> query parameter, where they differ.
FACET_PARAMS = {"language": "lang"}


@contextlib.contextmanager
def time_limit(seconds):
    """Abort the database work of the block after `seconds` (raises DatabaseError)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET takes no bound parameters; the value is an integer computed here.
            cursor.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        deadline = time.monotonic() + seconds
        raw = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        finally:
            raw.set_progress_handler(None, 0)
        return
    yield


def _languages(request):
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    if current not in analysis.LANGUAGES:
        current = "fr"
    if request.GET.get("both") == "1":
        return current, ("fr", "en")
    return current, (current,)


def _clean_filters(params):
    """Keep only well-formed filter values; anything else is ignored rather than an error."""
    filters = {}
    value = params.get("workspace", "")
    with contextlib.suppress(ValueError):
        filters["workspace"] = uuid.UUID(value) if value else None
    value = params.get("licence", "")
    with contextlib.suppress(ValueError):
        filters["licence"] = uuid.UUID(value) if value else None
    if params.get("kind") in SearchEntry.Kind.values:
        filters["kind"] = params["kind"]
    if re.fullmatch(r"[a-z_]{1,20}", params.get("deliverable_type", "")):
        filters["deliverable_type"] = params["deliverable_type"]
    if params.get("lang") in analysis.LANGUAGES:
        filters["language"] = params["lang"]
    if params.get("tag"):
        filters["tag"] = params["tag"][:100]
    year = params.get("year", "")
    if year.isdigit() and len(year) == 4:
        filters["year"] = int(year)
    return {k: v for k, v in filters.items() if v not in (None, "")}


def _page_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def word_matcher(stems, languages):
    """A test "is this word one of the query's?" (its stem in one of `languages` is in `stems`,
    or it starts with a typed prefix `stem*`), as `analysis.highlight_stems` decides, that
    stems each distinct word once: shared by the snippets of one page of results."""
    prefixes = tuple(s[:-1] for s in stems if s.endswith("*"))
    exact = {s for s in stems if not s.endswith("*")}
    known = {}

    def matches(word):
        if word not in known:
            folded = analysis.fold(word)
            known[word] = any(analysis.stem(folded, language) in exact for language in languages) or bool(
                prefixes and folded.startswith(prefixes)
            )
        return known[word]

    return matches


def snippet(text, stems, languages, length=SNIPPET_CHARS, matches=None):
    """An escaped extract of `text` around the first query word, query words in <mark>.

    Words are stemmed only up to the first query word and inside the extract, each distinct
    word once (`matches`), so a hit's cost does not grow with the length of its text (the
    extracted text of a long file) beyond one pass of the word pattern.
    """
    if not text:
        return ""
    matches = matches or word_matcher(stems, languages)
    first = next((m for m in analysis.WORD_RE.finditer(text) if matches(m.group())), None)
    start = 0
    if first is not None:
        start = max(0, first.start() - length // 4)
        # Start on a word boundary.
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + length)
    parts = ["…" if start else ""]
    cursor = start
    for match in analysis.WORD_RE.finditer(text, start, end):
        span_start, span_end = match.span()
        # A word cut by either end of the extract is not marked.
        if (span_start == start and start and analysis.WORD_RE.match(text[start - 1])) or (
            span_end == end and end < len(text) and analysis.WORD_RE.match(text[end])
        ):
            continue
        if not matches(match.group()):
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts).replace("\n", " "))  # noqa: S308 - every piece is escaped


def _workspace_titles(user, keys, language):
    """Titles of the workspaces `user` may view, in the reader's language when translated."""
    from wiki.models import WorkspacePage

    keys = [k for k in keys if k]
    if not keys:
        return {}
    titles = {}
    # The rule in the form the engine used (its closed paths are already read for this
    # request): one look-up by translation key, with no scan of the page tree.
    pages = WorkspacePage.objects.filter(translation_key__in=keys).filter(
        access.viewable_page_condition(user, "pk")
    )
    rows = pages.values_list("pk", "translation_key", "title", "locale__language_code").order_by()
    for _pk, key, title, code in sorted(rows):
        if key not in titles or code == language:
            titles[key] = title
    return titles


def _licence_titles(keys, language):
    from licensing.models import Licence

    titles = {}
    licences = Licence.objects.filter(translation_key__in=[k for k in keys if k]).select_related("locale")
    for licence in licences:
        if licence.translation_key not in titles or licence.locale.language_code == language:
            titles[licence.translation_key] = licence.title
    return titles


def _url_with(params, **changes):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value not in (None, ""):
            query[key] = value
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


def _present(request, results, query, languages, current):
    """What the template shows: hits with URLs, labels and snippets; facets with labels."""
    user = request.user
    page_ids = [hit.page_id for hit in results.hits if hit.page_id]
    pages = Page.objects.in_bulk(page_ids)
    workspace_keys = {hit.workspace_key for hit in results.hits} | {
        value for value, _count in results.facets.get("workspace", [])
    }
    workspaces = _workspace_titles(user, workspace_keys, current)
    licences = _licence_titles([v for v, _c in results.facets.get("licence", [])], current)
    language_names = dict(settings.LANGUAGES)
    kinds = dict(SearchEntry.Kind.choices)
    from repository.models import DeliverablePage

    deliverable_types = dict(DeliverablePage.Type.choices)
    hits = []
    matches = word_matcher(query.highlight, languages)
    for hit in results.hits:
        page = pages.get(hit.page_id)
        url = page.get_url(request) if page is not None else hit.url
        hits.append(
            {
                "title": hit.title,
                "url": url,
                "kind": kinds.get(hit.kind, hit.kind),
                "workspace": workspaces.get(hit.workspace_key),
                "language": language_names.get(hit.language, hit.language),
                "language_code": hit.language,
                "date": hit.date,
                "snippet": snippet(hit.text, query.highlight, languages, matches=matches),
            }
        )
    labels = {
        "workspace": lambda v: workspaces.get(v),
        "kind": lambda v: kinds.get(v),
        "deliverable_type": lambda v: deliverable_types.get(v, v),
        "language": lambda v: language_names.get(v, v),
        "tag": lambda v: v,
        "year": lambda v: str(v),
        "licence": lambda v: licences.get(v),
    }
    headings = {
        "workspace": _("Workspace"),
        "kind": _("Content type"),
        "deliverable_type": _("Deliverable type"),
        "language": _("Language"),
        "tag": _("Tag"),
        "year": _("Year"),
        "licence": _("Licence"),
    }
    params = {k: request.GET.get(k, "") for k in ("q", "sort", "both", *FILTER_PARAMS)}
    facets = []
    for name in engine.FACETS:
        values = []
        for value, count in results.facets.get(name, []):
            label = labels[name](value)
            if not label:
                # A workspace the reader may not view is never named, not even in a filter.
                continue
            param = FACET_PARAMS.get(name, name)
            active = str(params.get(param)) == str(value)
            change = {param: "" if active else str(value)}
            if name == "language" and value not in languages and not active:
                change["both"] = "1"
            url = _url_with(params, **change)
            values.append({"label": label, "count": count, "active": active, "url": url})
        if values:
            facets.append({"name": name, "heading": headings[name], "values": values})
    return hits, facets, params


@login_not_required
@require_GET
def search(request):
    current, languages = _languages(request)
    raw = request.GET.get("q", "")
    messages = []
    if len(raw) > analysis.MAX_QUERY_CHARS:
        messages.append(
            _("Your search was shortened to its first %(count)d characters.")
            % {"count": analysis.MAX_QUERY_CHARS}
        )
    query = analysis.parse(raw, languages)
    sort = "date" if request.GET.get("sort") == "date" else "relevance"
    filters = _clean_filters(request.GET)
    number = _page_number(request.GET.get("page"))
    context = {
        "q": raw[: analysis.MAX_QUERY_CHARS],
        "sort": sort,
        "both": len(languages) > 1,
        "messages_search": messages,
        "results": None,
        "unavailable": False,
    }
    if raw.strip() and not query:
        messages.append(
            _("Type at least one word to search for (punctuation and very common words are ignored).")
        )
    if query:
        try:
            results = _run(request.user, query, languages, filters, sort, number)
            if results.total and (number - 1) * PAGE_SIZE >= results.total:
                messages.append(
                    _("There is no page %(number)d of results; here is the last one.") % {"number": number}
                )
                number = (results.total - 1) // PAGE_SIZE + 1
                results = _run(request.user, query, languages, filters, sort, number)
        except engine.SearchUnavailable:
            context["unavailable"] = True
            results = None
        if results is not None:
            hits, facets, params = _present(request, results, query, languages, current)
            last = max(1, (results.total - 1) // PAGE_SIZE + 1)
            context.update(
                results=results,
                hits=hits,
                facets=facets,
                page_number=number,
                last_page=last,
                first_shown=(number - 1) * PAGE_SIZE + 1,
                last_shown=min(results.total, number * PAGE_SIZE),
                previous_url=_url_with(params, page=str(number - 1)) if number > 1 else None,
                next_url=_url_with(params, page=str(number + 1)) if number < last else None,
                relevance_url=_url_with(params, sort=""),
                date_url=_url_with(params, sort="date"),
                both_url=_url_with(params, both="1"),
                one_url=_url_with(params, both=""),
                filters_active=bool(filters),
                clear_filters_url=_url_with({k: params[k] for k in ("q", "sort", "both")}),
            )
    context["current_language_name"] = dict(settings.LANGUAGES).get(current)
    status = 503 if context["unavailable"] else 200
    return render(request, "search/search.html", context, status=status)


def _run(user, query, languages, filters, sort, number, facets=True, limit=PAGE_SIZE):
    """One search through the configured backend, bounded in time; failures are reported as
    `SearchUnavailable`, never answered by a wider query."""
    try:
        with transaction.atomic(), time_limit(QUERY_SECONDS):
            if elasticsearch_configured():
                from . import elastic

                return elastic.search(
                    user, query, languages, filters, sort, (number - 1) * limit, limit, facets=facets
                )
            return engine.search(
                user, query, languages, filters, sort, (number - 1) * limit, limit, facets=facets
            )
    except engine.SearchUnavailable:
        raise
    except DatabaseError as error:
        logger.warning("Search failed or timed out: %s", error)
        raise engine.SearchUnavailable(str(error)) from error


@login_not_required
@require_GET
def suggest(request):
    """Up to eight titles the reader may view, for the search box as they type."""
    current, languages = _languages(request)
    query = analysis.parse(request.GET.get("q", "")[:100], languages, prefix=True)
    if not query:
        return JsonResponse({"suggestions": []})
    try:
        results = _run(request.user, query, languages, {}, "relevance", 1, facets=False, limit=8)
    except engine.SearchUnavailable:
        return JsonResponse({"suggestions": [], "error": _("Search is unavailable right now.")}, status=503)
    pages = Page.objects.in_bulk([hit.page_id for hit in results.hits if hit.page_id])
    kinds = dict(SearchEntry.Kind.choices)
    suggestions = []
    for hit in results.hits:
        page = pages.get(hit.page_id)
        suggestions.append(
            {
                "title": hit.title,
                "url": page.get_url(request) if page is not None else hit.url,
                "kind": str(kinds.get(hit.kind, hit.kind)),
            }
        )
    return JsonResponse({"suggestions": suggestions})
