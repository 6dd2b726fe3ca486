# ruff: noqa: T201, S603, S607 - a command-line benchmark script
"""The access rule of an earlier commit against the current one, back to back in one process.

    .venv/bin/python bench/search_rule_ab.py f0171c1 bench-member ornithorynque          # SQLite
    DATABASE_URL=postgres://... .venv/bin/python bench/search_rule_ab.py f0171c1 anon pratique

Runs `search.engine.search` on the database built by `bench/search_bench.py` (SQLite:
var/bench/search-50000.sqlite3), alternating the `wiki/access.py` of COMMIT and the current
one, 12 times each (the first 2 dropped), and prints the median CPU and wall time of each.
Alternating the two makes the comparison fair on a busy machine, where absolute times are not.
"""

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    commit, who, word = sys.argv[1:4]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'search-50000.sqlite3'}")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from search import analysis, engine
    from wiki import access as current

    source = subprocess.run(
        ["git", "show", f"{commit}:wiki/access.py"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("wiki.access_before", handle.name)
    before = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(before)
    User = get_user_model()
    query = analysis.parse(word, ("fr",))
    timings = {"before": [], "current": []}
    for _ in range(12):
        for name, module in (("before", before), ("current", current)):
            engine.access = module
            # A fresh reader each time, as each request has.
            user = AnonymousUser() if who == "anon" else User.objects.get(username=who)
            cpu, wall = time.process_time(), time.perf_counter()
            results = engine.search(user, query, ("fr",))
            timings[name].append(
                ((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000, results.total)
            )
    os.unlink(handle.name)
    for name, rows in timings.items():
        rows = rows[2:]
        print(
            f"{name:8} {commit if name == 'before' else 'HEAD':8} {who} {word}: "
            f"CPU median {statistics.median(r[0] for r in rows):.1f} ms, "
            f"wall median {statistics.median(r[1] for r in rows):.1f} ms, results {rows[0][2]}"
        )


if __name__ == "__main__":
    main()
