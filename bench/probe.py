# ruff: noqa: T201 -- prints its findings as JSON for bench/bench.py
"""Find the benchmark's URLs in a prepared database and count the queries of each.

Run by `bench/run` as `python bench/probe.py` with the bench's environment; prints JSON.
Each URL is requested twice through Django's test client and the queries of the second
request (caches warm, as in the load test) are counted.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from repository.models import DeliverablePage  # noqa: E402
from wiki.models import HomePage, Membership, WikiPage, WorkspacePage  # noqa: E402

FR_QUERIES = ["santé mentale", "proches aidants", "dépendances", "périnatalité", "itinérance"]
EN_QUERIES = ["mental health", "caregivers", "addictions", "palliative care", "homelessness"]


def count(client, url):
    client.get(url, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST="127.0.0.1")
    return response.status_code, len(queries.captured_queries), len(response.content)


def main():
    home = HomePage.objects.filter(locale__language_code="fr").first()
    public = (
        DeliverablePage.objects.live()
        .filter(locale__language_code="fr", access_level="public", slug__startswith="livrable-")
        .order_by("-pk")
        .first()
    )
    # A member of a generated workspace, one of its wiki pages that others link to.
    linked = WikiPage.objects.live().filter(locale__language_code="fr", slug__startswith="page-")
    if hasattr(WikiPage, "wiki_links_in"):
        linked = linked.filter(wiki_links_in__isnull=False).distinct()
    wiki_page = linked.order_by("-pk").first()
    workspace = WorkspacePage.objects.filter(locale__language_code="fr").ancestor_of(wiki_page).first()
    membership = (
        Membership.objects.filter(
            workspace_key=workspace.translation_key, user__username__startswith="scale-"
        )
        .select_related("user")
        .first()
    )
    user = membership.user
    urls = {
        "home": home.url,
        "deliverable": public.url,
        "workspace": workspace.url,
        "wiki_page": wiki_page.url,
    }
    with translation.override("fr"):
        urls["login"] = reverse("login")
        try:
            search = reverse("search")
        except NoReverseMatch:
            search = None
    if search:
        with translation.override("en"):
            search_en = reverse("search")
        urls["search"] = [f"{search}?q={quote_plus(q)}" for q in FR_QUERIES] + [
            f"{search_en}?q={quote_plus(q)}" for q in EN_QUERIES
        ]
    large = DeliverablePage.objects.filter(
        locale__language_code="fr", access_level="public", slug__startswith="livrable-1-"
    ).order_by("-pk")
    large = next((p for p in large if _is_large(p)), None)
    if large is not None:
        urls["download"] = _download_url(large)

    anonymous, member = Client(), Client()
    member.force_login(user)
    queries = {
        "home_anonymous": count(anonymous, urls["home"]),
        "home_member": count(member, urls["home"]),
        "deliverable_anonymous": count(anonymous, urls["deliverable"]),
        "workspace_member": count(member, urls["workspace"]),
        "wiki_page_member": count(member, urls["wiki_page"]),
    }
    if search:
        queries["search_member"] = count(member, urls["search"][0])
    print(
        json.dumps(
            {
                "urls": urls,
                "username": user.username,
                "password": settings.DEMO_PASSWORD,
                "queries": queries,
                "database": connection.vendor,
            }
        )
    )


def _is_large(page):
    first = page.files.select_related("document").first() if hasattr(page, "files") else None
    document = first.document if first is not None else getattr(page, "file", None)
    return document is not None and document.title.startswith("Jeu de données")


def _download_url(page):
    with translation.override("fr"):
        first = page.files.first() if hasattr(page, "files") else None
        if first is not None:
            return reverse("deliverable_file", args=[first.pk])
        return page.file.url


if __name__ == "__main__":
    main()
