# ruff: noqa: T201, S101, S311, E501 - a command-line benchmark script
"""Search speed at scale: the search page and the engine on N pages (default 50 000).

    .venv/bin/python bench/search_bench.py                 # SQLite, 50 000 pages
    .venv/bin/python bench/search_bench.py --pages 10000
    DATABASE_URL=postgres://... .venv/bin/python bench/search_bench.py   # built once, then reused

Builds its own database (SQLite: var/bench/search-<N>.sqlite3, rebuilt unless --reuse):
20 private workspaces, N wiki pages spread over them inserted in bulk straight into the page
tree and the search index, and 2 000 extra pages with a restriction of their own (thousands
of private pages). A PostgreSQL database that already holds N pages is reused as it is (delete
it to rebuild). Then times, for four readers (a member of two workspaces, a signed-in
outsider, an administrator, a visitor who is not signed in), the whole search page (counts, facets, snippets, rendering)
and the engine alone, for a word on ~60 % of the pages, one on ~10 %, and a rare word.
Prints p50/p95/max per case (elapsed and CPU time) and writes
bench/results/search-<vendor>-<N>-<UTC date and time>.md with the load average.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMON = "pratique"  # on ~60 % of pages
MEDIUM = "évaluation"  # on ~10 %
RARE = "ornithorynque"  # on 20 pages
FILLER = [
    "soins",
    "services",
    "équipe",
    "usager",
    "famille",
    "intervention",
    "clinique",
    "réseau",
    "établissement",
    "santé",
    "mentale",
    "jeunesse",
    "communauté",
    "partage",
    "connaissance",
    "formation",
    "suivi",
    "plan",
    "rencontre",
    "gestion",
    "qualité",
    "sécurité",
    "accès",
    "première",
    "ligne",
    "dépendance",
    "parent",
    "enfant",
    "quartier",
]


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="Reuse an existing SQLite bench database.")
    return parser.parse_args()


def setup_django(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if "DATABASE_URL" not in os.environ:
        path = ROOT / "var" / "bench" / f"search-{args.pages}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not args.reuse:
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.conf import settings

    # Query logging (DEBUG) would distort the timings.
    settings.DEBUG = False


def build(args):
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction
    from wagtail.models import Page, PageViewRestriction

    from search import analysis
    from search.models import SearchEntry
    from wiki.factories import (
        MembershipFactory,
        SuperuserFactory,
        UserFactory,
        WorkspacePageFactory,
        build_site_tree,
    )
    from wiki.models import WikiPage

    call_command("migrate", verbosity=0)
    if Page.objects.filter(depth__gte=5).count() >= args.pages:
        print("Reusing the existing bench database.")
        return
    rng = random.Random(7)
    with transaction.atomic():
        tree = build_site_tree()
        workspaces = [
            WorkspacePageFactory(parent=tree.workspaces_fr, title=f"Communauté {n}", locale=tree.fr)
            for n in range(20)
        ]
        member = UserFactory(username="bench-member")
        UserFactory(username="bench-outsider")
        SuperuserFactory(username="bench-admin")
        for workspace in workspaces[:2]:
            MembershipFactory(user=member, workspace=workspace)
        from wiki import access

        for workspace in workspaces:
            access.sync_workspace(workspace.translation_key)

    stems = {w: analysis.analyse(w, "fr") for w in [*FILLER, COMMON, MEDIUM, RARE]}
    content_type = ContentType.objects.get_for_model(WikiPage)
    rare_pages = set(rng.sample(range(args.pages), 20))
    started = time.perf_counter()
    batch = 2000
    counter = 0
    for start in range(0, args.pages, batch):
        pages, entries = [], []
        for i in range(start, min(start + batch, args.pages)):
            workspace = workspaces[i % len(workspaces)]
            words = rng.choices(FILLER, k=40)
            if rng.random() < 0.6:
                words.append(COMMON)
            if rng.random() < 0.1:
                words.append(MEDIUM)
            if i in rare_pages:
                words.append(RARE)
            rng.shuffle(words)
            child_number = i // len(workspaces) + 1
            title = f"Page {i} {words[0]} {words[1]}"
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=f"page-{i}",
                    path=workspace.path + _step(child_number),
                    depth=workspace.depth + 1,
                    numchild=0,
                    url_path=f"{workspace.url_path}page-{i}/",
                    content_type=content_type,
                    locale_id=workspace.locale_id,
                    live=True,
                    translation_key=uuid.uuid4(),
                )
            )
            text = " ".join(words)
            entries.append((title, text, workspace.translation_key, words))
        with transaction.atomic():
            created = Page.objects.bulk_create(pages)
            SearchEntry.objects.bulk_create(
                SearchEntry(
                    page_id=page.pk,
                    kind=SearchEntry.Kind.WIKI,
                    language="fr",
                    workspace_key=key,
                    title=title,
                    text=text,
                    title_terms=analysis.analyse(title, "fr"),
                    terms=" ".join(stems[w] for w in words),
                    year=2020 + (page.pk % 7),
                )
                for page, (title, text, key, words) in zip(created, entries, strict=True)
            )
        counter += len(pages)
        print(f"\r{counter} pages indexed ({time.perf_counter() - started:.0f} s)", end="", flush=True)
    print()
    # Thousands of pages with a restriction of their own (signed-in readers only).
    with transaction.atomic():
        restricted = rng.sample(
            list(Page.objects.filter(depth=workspaces[0].depth + 1).values_list("pk", flat=True)), 2000
        )
        PageViewRestriction.objects.bulk_create(
            PageViewRestriction(page_id=pk, restriction_type=PageViewRestriction.LOGIN) for pk in restricted
        )
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO cop_search_fts(cop_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _step(number):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = alphabet[rest] + out
    return out.rjust(4, "0")


def measure(args):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client

    from search import analysis, engine
    from search.models import SearchEntry

    User = get_user_model()
    readers = {
        "member of 2 workspaces": User.objects.get(username="bench-member"),
        "signed-in outsider": User.objects.get(username="bench-outsider"),
        "administrator": User.objects.get(username="bench-admin"),
        # Fails every one of the 2 020 restrictions: the longest list of closed paths.
        "visitor (not signed in)": None,
    }
    matches = {}
    for word in (COMMON, MEDIUM, RARE):
        query = analysis.parse(word, ("fr",))
        matches[word] = engine._matching(SearchEntry.objects.all(), query).count()
    rows = []
    for name, user in readers.items():
        client = Client(HTTP_HOST="localhost")
        if user is not None:
            client.force_login(user)
        for word in (COMMON, MEDIUM, RARE):
            url = f"/fr/recherche/?q={word}"
            for _ in range(3):
                assert client.get(url).status_code == 200
            page_times, page_cpu, engine_times, engine_cpu = [], [], [], []
            query = analysis.parse(word, ("fr",))
            for _ in range(args.runs):
                t, c = time.perf_counter(), time.process_time()
                response = client.get(url)
                page_times.append((time.perf_counter() - t) * 1000)
                page_cpu.append((time.process_time() - c) * 1000)
                assert response.status_code == 200
                # A fresh user object, as each request has: no answer of the access rule is
                # carried over from the previous run.
                fresh = User.objects.get(pk=user.pk) if user is not None else AnonymousUser()
                t, c = time.perf_counter(), time.process_time()
                results = engine.search(fresh, query, ("fr",))
                engine_times.append((time.perf_counter() - t) * 1000)
                engine_cpu.append((time.process_time() - c) * 1000)
            rows.append(
                (
                    name,
                    word,
                    matches[word],
                    results.total,
                    _stats(page_times),
                    _stats(page_cpu),
                    _stats(engine_times),
                    _stats(engine_cpu),
                )
            )
            print(
                f"{name:24} {word:14} matches {matches[word]:6} visible {results.total:6}  page {_fmt(page_times)}  page CPU {_fmt(page_cpu)}  engine {_fmt(engine_times)}  engine CPU {_fmt(engine_cpu)}"
            )
    return connection.vendor, rows


def _stats(times):
    times = sorted(times)
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, times[-1]


def _fmt(times):
    p50, p95, worst = _stats(times)
    return f"p50 {p50:6.1f} p95 {p95:6.1f} max {worst:6.1f} ms"


def write_report(args, vendor, rows, load_before, load_after):
    stamp = time.strftime("%Y-%m-%dT%H%M", time.gmtime())
    out = ROOT / "bench" / "results" / f"search-{vendor}-{args.pages}-{stamp}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Search at {args.pages} pages on {vendor} ({stamp} UTC)",
        "",
        f"`bench/search_bench.py --pages {args.pages} --runs {args.runs}`, one client, in-process "
        "(Django test client: the whole search view with counts, facets, snippets, the site "
        "header and rendering; then the engine alone). 20 private workspaces, 2 000 more pages "
        "with their own restriction.",
        "",
        f"Load average (1 min) on the 2-core machine: {load_before:.1f} before, {load_after:.1f} after. "
        '"wall" is elapsed time and includes waiting for a core; "CPU" is this process\'s '
        "CPU time (SQLite runs inside it), close to what one request takes on an idle core.",
        "",
        "| reader | word | pages matching | visible to reader | page wall p50 / p95 ms | page CPU p50 / p95 ms | engine wall p50 / p95 ms | engine CPU p50 / p95 ms |",
        "| --- | --- | ---: | ---: | --- | --- | --- | --- |",
    ]
    for name, word, matching, visible, page, page_cpu, eng, eng_cpu in rows:
        lines.append(
            f"| {name} | {word} | {matching} | {visible} | {page[0]:.0f} / {page[1]:.0f} | "
            f"{page_cpu[0]:.0f} / {page_cpu[1]:.0f} | {eng[0]:.0f} / {eng[1]:.0f} | {eng_cpu[0]:.0f} / {eng_cpu[1]:.0f} |"
        )
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Written {out.relative_to(ROOT)}")


def main():
    args = parse_args()
    setup_django(args)
    build(args)
    load_before = os.getloadavg()[0]
    vendor, rows = measure(args)
    write_report(args, vendor, rows, load_before, os.getloadavg()[0])


if __name__ == "__main__":
    main()
