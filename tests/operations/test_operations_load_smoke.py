"""The short version of the load test: ten members for fifteen seconds, nothing lost.

The same locust users (bench/load_locustfile.py) and the same checks (operations.loadtest) as
`manage.py security_suite`, against the test server: they search, read, download, accept a
licence, edit wiki pages in the administration and add files to deliverables; afterwards every
acknowledged write is in the database, no answer was a 5xx and nothing was logged as an error.
It runs in the PostgreSQL pass of scripts/test (the test server's in-memory SQLite database
serialises threads with table locks, which is not what production does). The five-minute run
with fifty members is `bench/load` (see SECURITY.md).
"""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from wagtail.models import Collection

from licensing.factories import LicenceFactory
from operations import loadtest
from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverableFile, DeliverablePage
from repository.samples import make_pdf
from wiki.demo_utils import tree_root
from wiki.factories import WikiPageFactory, build_access_matrix

USERS, SECONDS = 10, 15


def build_site():
    # Isolated tests run after others that flushed the database, root page and collection included;
    # on PostgreSQL the backup round trip's restore leaves the permissions rows missing too.
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    tree_root()
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    matrix = build_access_matrix()
    tree = matrix.tree
    for number in range(3):
        WikiPageFactory(
            parent=matrix.workspace_a, locale=tree.fr, title=f"Page {number}"
        ).save_revision().publish()
    repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
    for number in range(3):
        page = DeliverablePageFactory(
            parent=repository,
            locale=tree.fr,
            title=f"Guide {number}",
            access_level=DeliverablePage.Access.PUBLIC,
            workspace_key=matrix.workspace_a.translation_key,
        )
        document = DocumentFactory(file=ContentFile(make_pdf(f"Guide {number}"), name=f"guide-{number}.pdf"))
        DeliverableFile.objects.create(page=page, document=document, sort_order=0)
        page.save_revision().publish()
    LicenceFactory(locale=tree.fr)


@pytest.mark.isolated
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="load runs against PostgreSQL (the test server's in-memory SQLite locks whole tables)",
)
def test_ten_members_for_fifteen_seconds_lose_no_write_and_get_no_server_error(live_server, tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    build_site()
    targets = loadtest.setup(USERS)
    (tmp_path / "targets.json").write_text(json.dumps(targets))
    acks_path = tmp_path / "acks.json"
    env = {**os.environ, "COP_LOAD_TARGETS": str(tmp_path / "targets.json"), "COP_LOAD_ACKS": str(acks_path)}
    locust = Path(sys.executable).parent / "locust"
    completed = subprocess.run(  # noqa: S603 - locust from the venv, arguments built here
        [
            str(locust),
            "-f",
            str(Path(settings.BASE_DIR) / "bench" / "load_locustfile.py"),
            "--headless",
            "--host",
            live_server.url,
            "--users",
            str(USERS),
            "--spawn-rate",
            str(USERS),
            "--run-time",
            f"{SECONDS}s",
            "--stop-timeout",
            "20",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 90,
        check=False,
        env=env,
    )
    assert acks_path.exists(), completed.stderr[-3000:]
    acks = json.loads(acks_path.read_text())
    result = loadtest.verify(acks)
    server_errors = {
        status: count for status, count in acks["statuses"].items() if status.startswith("5") or status == "0"
    }
    assert server_errors == {}, acks["server_errors"][:10]
    assert result["lost"] == []
    # The run did write: edits, uploads and a licence acceptance were acknowledged and found.
    assert result["checked"]["edits"] > 0
    assert result["checked"]["uploads"] > 0
    assert result["checked"]["acceptances"] > 0
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []
