"""`manage.py generate_scale_data`: an institution-sized bilingual dataset, in minutes.

A thin runner: each app writes its own part in its `scale` module (wiki, then licensing, then
the repository, which may import both), then any other app's `cop_scale_data` hook runs.
The command lives in `repository` because only this app may import the other two.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks

from licensing import scale as licensing_scale
from repository import scale as repository_scale
from wiki import scale as wiki_scale
from wiki.demo_utils import locales
from wiki.models import HomePage

STEPS = [wiki_scale.generate, licensing_scale.generate, repository_scale.generate]


class Command(BaseCommand):
    help = (
        "Add a large bilingual dataset (workspaces, wiki pages, meetings, deliverables, people, "
        "memberships, files) on top of the demo site, for benchmarks and scale tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspaces", type=int, default=200)
        parser.add_argument("--pages", type=int, default=20000, help="Wiki pages (each in FR and EN).")
        parser.add_argument(
            "--deliverables", type=int, default=5000, help="Deliverables (each in FR and EN)."
        )
        parser.add_argument("--users", type=int, default=2000)
        parser.add_argument(
            "--files", type=int, default=40, help="Distinct PDF files shared by deliverables."
        )
        parser.add_argument("--large-file-mb", type=int, default=0, help="Add one public file of this size.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-index", action="store_true", help="Skip the search index update.")

    def handle(self, *args, **options):
        started = time.monotonic()
        if not HomePage.objects.exists():
            call_command("load_demo", stdout=self.stdout)
        admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        context = {
            "options": options,
            "rng": wiki_scale.make_rng(options["seed"]),
            "locales": locales(),
            "admin": admin,
            "password": settings.DEMO_PASSWORD,
        }
        with transaction.atomic():
            for step in [*STEPS, *hooks.get_hooks("cop_scale_data")]:
                step_started = time.monotonic()
                step(context)
                self.stdout.write(f"{step.__module__}: {time.monotonic() - step_started:.1f} s")
        pages = context.get("scale_pages", [])
        if not options["no_index"] and pages:
            self._index(pages)
        # A bulk load changes the tables' sizes by orders of magnitude: the planner must know.
        call_command("analyze_database", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(pages)} pages, {len(context.get('scale_users', []))} people "
                f"in {time.monotonic() - started:.0f} s; every account's password is DEMO_PASSWORD."
            )
        )
        deliverable = context.get("large_file_deliverable")
        if deliverable is not None:
            self.stdout.write(f"Large file: deliverable {deliverable.pk}")

    def _index(self, pages):
        from wagtail.search.backends import get_search_backends

        started = time.monotonic()
        by_model = {}
        for page in pages:
            by_model.setdefault(type(page), []).append(page.pk)
        for backend in get_search_backends():
            for model, ids in by_model.items():
                for start in range(0, len(ids), 1000):
                    chunk = list(model.objects.filter(pk__in=ids[start : start + 1000]))
                    backend.add_bulk(model, chunk)
        self.stdout.write(f"search index: {time.monotonic() - started:.1f} s")
