# ruff: noqa: T201 -- prints its findings
"""What one signed-in page costs: its SQL queries, CPU time per request and a cProfile.

    bench/profile_view.py wiki_page            # the bench's member and wiki page (bench/probe.py)
    bench/profile_view.py workspace --requests 200 --profile 30
    bench/profile_view.py wiki_page --gc    # wall time per request and the garbage collector's pauses

Run with the bench's environment (production settings, DATABASE_URL of a prepared bench
database, e.g. /tmp/cop-bench/sqlite/db.sqlite3). The page is requested once to warm the
caches, then the queries of one request are listed, then `--requests` requests are timed in
CPU time (time.process_time: independent of other load on the machine), then the functions
that cost most are printed. Requests go through Django's full handler and middleware.
"""

import argparse
import cProfile
import gc
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from wiki.models import Membership, WikiPage, WorkspacePage  # noqa: E402


def target(name):
    linked = WikiPage.objects.live().filter(locale__language_code="fr", slug__startswith="page-")
    if hasattr(WikiPage, "wiki_links_in"):
        linked = linked.filter(wiki_links_in__isnull=False).distinct()
    wiki_page = linked.order_by("-pk").first()
    workspace = WorkspacePage.objects.filter(locale__language_code="fr").ancestor_of(wiki_page).first()
    members = Membership.objects.filter(workspace_key=workspace.translation_key)
    members = members.filter(user__username__startswith="scale-")
    user = members.select_related("user").first().user
    return (wiki_page if name == "wiki_page" else workspace).url, user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page", choices=["wiki_page", "workspace"])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", type=int, default=25, help="lines of the profile (0: none)")
    parser.add_argument("--gc", action="store_true", help="time requests and garbage collections")
    options = parser.parse_args()
    url, user = target(options.page)
    client = Client()
    client.force_login(user)
    client.get(url, HTTP_HOST="127.0.0.1")
    if options.gc:
        collections(client, url, options.requests)
        return
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST="127.0.0.1")
    print(f"{url} as {user.username}: {response.status_code}, {len(response.content)} bytes")
    print(f"{len(queries.captured_queries)} queries:")
    for number, query in enumerate(queries.captured_queries, 1):
        print(f"  {number:2}. {query['sql'][:300]}")
    started = time.process_time()
    for _ in range(options.requests):
        client.get(url, HTTP_HOST="127.0.0.1")
    cpu = (time.process_time() - started) / options.requests
    print(f"CPU per request: {cpu * 1000:.2f} ms (mean of {options.requests}, process_time)")
    if options.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(min(options.requests, 100)):
            client.get(url, HTTP_HOST="127.0.0.1")
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(options.profile)
        stats.sort_stats("tottime").print_stats(options.profile)


def collections(client, url, requests):
    """Wall time per request next to the garbage collections that ran during it (as
    config.wsgi leaves the collector: what was loaded at start-up is frozen)."""
    gc.collect()
    gc.freeze()
    pauses, started = [], [0.0]

    def watch(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append((info["generation"], (time.perf_counter() - started[0]) * 1000))

    gc.callbacks.append(watch)
    times = []
    for _ in range(requests):
        begin = time.perf_counter()
        client.get(url, HTTP_HOST="127.0.0.1")
        times.append((time.perf_counter() - begin) * 1000)
    gc.callbacks.remove(watch)
    times.sort()
    p50, p95, p99 = (times[int(len(times) * q)] for q in (0.5, 0.95, 0.99))
    print(f"wall time per request: p50 {p50:.1f} / p95 {p95:.1f} / p99 {p99:.1f} / max {times[-1]:.1f} ms")
    for generation in (0, 1, 2):
        durations = [ms for g, ms in pauses if g == generation]
        if durations:
            print(f"generation {generation}: {len(durations)} collections, longest {max(durations):.1f} ms")


if __name__ == "__main__":
    main()
