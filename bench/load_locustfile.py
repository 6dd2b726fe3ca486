"""Locust users for the load test of `manage.py security_suite` (see bench/load).

Each simulated member signs in with an account of their own (made by the suite's setup phase,
all coordinators of one workspace) and, until the run ends, does what members do: search (with
filters), read and download deliverable files (accepting the licence the first time it is
asked), edit wiki pages in the administration (publishing a new revision) and add files to
deliverables. Every write the server acknowledges (a redirect after the POST) is written to
the acknowledgement file, which the suite's verify phase checks against the database.

Settings come from the environment: COP_LOAD_TARGETS (JSON from the setup phase) and
COP_LOAD_ACKS (where to write what was acknowledged, and the status counts).
"""

import itertools
import json
import os
import random
import re
import threading
import uuid
from collections import Counter

from locust import HttpUser, between, events, task

TARGETS = json.load(open(os.environ["COP_LOAD_TARGETS"]))  # noqa: SIM115
ACKS = {"edits": [], "uploads": [], "acceptances": [], "statuses": Counter(), "server_errors": []}
LOCK = threading.Lock()
ACCOUNTS = itertools.cycle(TARGETS["users"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LICENCE_TOKEN = re.compile(r'name="token" value="([^"]+)"')


@events.request.add_listener
def count_status(request_type, name, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    with LOCK:
        ACKS["statuses"][str(status)] += 1
        if status >= 500 or status == 0:
            ACKS["server_errors"].append(f"{request_type} {name} {status} {exception or ''}"[:300])


@events.quitting.add_listener
def write_acks(environment, **kwargs):
    with LOCK, open(os.environ["COP_LOAD_ACKS"], "w") as out:
        json.dump({**ACKS, "statuses": dict(ACKS["statuses"])}, out, indent=1)


def paragraph_body(text):
    """The admin form fields of a StreamField holding one paragraph (Draftail's contentstate)."""
    contentstate = {
        "blocks": [
            {
                "key": "a1b2c",
                "type": "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
    return {
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": json.dumps(contentstate),
        "body-0-deleted": "",
        "body-0-order": "0",
    }


class Member(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        with LOCK:
            self.username = next(ACCOUNTS)
        login = TARGETS["login_url"]
        page = self.client.get(login, name="login form")
        token = self.csrf(page.text)
        self.client.post(
            login,
            {"username": self.username, "password": TARGETS["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.client.base_url + login},
            name="login",
            allow_redirects=False,
        )

    def csrf(self, html):
        found = CSRF.search(html)
        return found.group(1) if found else self.client.cookies.get("csrftoken", "")

    def post(self, url, data, name, files=None):
        return self.client.post(
            url,
            data,
            files=files,
            headers={"Referer": self.client.base_url + url},
            name=name,
            allow_redirects=False,
        )

    @task(6)
    def search(self):
        query = random.choice(TARGETS["search_words"])  # noqa: S311 - not cryptography
        params = {"q": query}
        if random.random() < 0.3:  # noqa: S311
            params["sort"] = "date"
        self.client.get(TARGETS["search_url"], params=params, name="search")

    @task(4)
    def read_page(self):
        self.client.get(random.choice(TARGETS["pages"]), name="wiki page")  # noqa: S311

    @task(3)
    def download(self):
        self.client.get(random.choice(TARGETS["downloads"]), name="download")  # noqa: S311

    @task(1)
    def download_under_licence(self):
        target = TARGETS["licensed_download"]
        response = self.client.get(target, name="licensed download")
        found = (
            LICENCE_TOKEN.search(response.text)
            if "text/html" in response.headers.get("Content-Type", "")
            else None
        )
        if not found:
            return  # already accepted: the file itself came back
        accepted = self.post(
            TARGETS["accept_url"],
            {"token": found.group(1), "accept": "yes", "csrfmiddlewaretoken": self.csrf(response.text)},
            "accept licence",
        )
        if accepted.status_code == 302:
            with LOCK:
                ACKS["acceptances"].append({"username": self.username, "licence": TARGETS["licence_id"]})

    @task(2)
    def edit_wiki_page(self):
        page = random.choice(TARGETS["edit_pages"])  # noqa: S311
        url = f"/admin/pages/{page['id']}/edit/"
        form = self.client.get(url, name="admin edit form")
        marker = f"load-{uuid.uuid4().hex[:12]}"
        data = {
            "title": page["title"],
            "slug": page["slug"],
            **paragraph_body(f"Modification {marker}"),
            "tags": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "publish",
            "csrfmiddlewaretoken": self.csrf(form.text),
        }
        response = self.post(url, data, "admin edit (publish)")
        if response.status_code == 302:
            with LOCK:
                ACKS["edits"].append({"page": page["id"], "marker": marker})

    @task(1)
    def upload(self):
        deliverable = random.choice(TARGETS["upload_deliverables"])  # noqa: S311
        url = TARGETS["upload_url"].format(id=deliverable)
        form = self.client.get(url, name="upload form")
        label = f"load-{uuid.uuid4().hex[:12]}"
        content = f"Annexe {label}\nDonnees de suivi pour le test de charge.\n".encode()
        response = self.post(
            url,
            {"label": label, "csrfmiddlewaretoken": self.csrf(form.text)},
            "upload file",
            files={"file": (f"{label}.txt", content, "text/plain")},
        )
        if response.status_code == 302:
            with LOCK:
                ACKS["uploads"].append({"page": deliverable, "label": label})
