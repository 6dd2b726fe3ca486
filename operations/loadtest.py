"""The database side of the load test (`manage.py security_suite`): setup and verification.

`setup()` runs on the throwaway demo database before the run: it makes one account per
simulated member (coordinators of the first demo workspace, so they may edit its wiki pages and
add files to its deliverables), puts one of its deliverables under a licence that must be
accepted, and returns the addresses the locust users need.

`verify()` runs after the run, on the same database: every write the server acknowledged must
be there — each edit as a revision holding its marker, each upload as a document and a file of
the deliverable (in its live version or latest revision), each licence acceptance as a record.
"""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail.models import Revision

from licensing.integrity import _clause_applies_to
from licensing.models import Licence, LicenceAcceptance
from repository.models import DeliverablePage, RepositoryIndexPage
from wiki.models import Membership, WikiPage, WorkspacePage

PASSWORD = "load-test-password-2026"  # noqa: S105 - throwaway accounts on a throwaway database
SEARCH_WORDS = ["santé", "soins", "pratique", "guide", "rapport", "qualité", "health", "care", "équipe"]


def setup(users):
    workspace = WorkspacePage.objects.live().filter(locale__language_code="fr").order_by("path").first()
    User = get_user_model()
    usernames = []
    for index in range(users):
        user, _created = User.objects.get_or_create(
            username=f"load-{index:02d}", defaults={"email": f"load-{index:02d}@example.org"}
        )
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.get_or_create(
            user=user,
            workspace_key=workspace.translation_key,
            defaults={"role": Membership.Role.COORDINATOR},
        )
        usernames.append(user.username)
    edit_pages = [
        {"id": page.pk, "title": page.title, "slug": page.slug}
        for page in WikiPage.objects.live().descendant_of(workspace).order_by("path")[:8]
    ]
    # Deliverables under the memorandum need the Steering Committee to publish a change:
    # the members here add files to, and accept the licence of, the others.
    free = [
        d
        for d in DeliverablePage.objects.live().order_by("pk")
        if d.files.exists() and not _clause_applies_to(d.licence)
    ]
    deliverables = [d for d in free if d.workspace_key == workspace.translation_key] or free[:3]
    # The members coordinate the workspaces of the deliverables they add files to.
    for key in {d.workspace_key for d in deliverables if d.workspace_key}:
        for username in usernames:
            Membership.objects.get_or_create(
                user=User.objects.get(username=username),
                workspace_key=key,
                defaults={"role": Membership.Role.COORDINATOR},
            )
    today = timezone.localdate()
    public = [
        d
        for d in DeliverablePage.objects.live()
        .filter(access_level=DeliverablePage.Access.PUBLIC)
        .order_by("pk")
        if d.files.exists() and not (d.embargo_until and d.embargo_until > today)
    ]
    licensed = deliverables[0]
    licence = next(
        licence
        for licence in Licence.objects.filter(locale__language_code="fr").order_by("pk")
        if not _clause_applies_to(licence)
    )
    licence.requires_acceptance = True
    licence.save()
    licensed.licence = licence
    licensed.save_revision().publish()
    with translation.override("fr"):
        targets = {
            "users": usernames,
            "password": PASSWORD,
            "login_url": reverse("login"),
            "search_url": reverse("search"),
            "accept_url": reverse("licensing:accept"),
            "upload_url": reverse("deliverable_add_file", args=[999999999]).replace("999999999", "{id}"),
            "search_words": SEARCH_WORDS,
            "pages": [p.url for p in WikiPage.objects.live().descendant_of(workspace)[:20]],
            "edit_pages": edit_pages,
            "downloads": [
                reverse("deliverable_file", args=[d.files.first().pk]) for d in public[:10] if d != licensed
            ],
            "licensed_download": reverse("deliverable_file", args=[licensed.files.first().pk]),
            "licence_id": licence.pk,
            "repository_url": RepositoryIndexPage.objects.live()
            .filter(locale__language_code="fr")
            .first()
            .url,
            "upload_deliverables": [d.pk for d in deliverables[1:4]] or [licensed.pk],
        }
    return targets


def _revision_texts(page_ids):
    texts = {}
    for revision in Revision.page_revisions.filter(object_id__in=[str(pk) for pk in page_ids]):
        texts.setdefault(int(revision.object_id), []).append(json.dumps(revision.content, ensure_ascii=False))
    return {pk: "\n".join(parts) for pk, parts in texts.items()}


def verify(acks):
    """{"checked": {...}, "lost": [...]} for the acknowledged writes in `acks`."""
    lost = []
    edits = acks.get("edits", [])
    texts = _revision_texts({edit["page"] for edit in edits})
    for edit in edits:
        if edit["marker"] not in texts.get(edit["page"], ""):
            lost.append(f"edit {edit['marker']} of page {edit['page']}: no revision holds it")
    uploads = acks.get("uploads", [])
    Document = get_document_model()
    upload_texts = _revision_texts({upload["page"] for upload in uploads})
    for upload in uploads:
        if not Document.objects.filter(title=upload["label"]).exists():
            lost.append(f"upload {upload['label']}: no document")
            continue
        page = DeliverablePage.objects.get(pk=upload["page"])
        in_live = page.files.filter(label=upload["label"]).exists()
        if not in_live and upload["label"] not in upload_texts.get(upload["page"], ""):
            lost.append(f"upload {upload['label']}: not a file of deliverable {upload['page']}")
    User = get_user_model()
    for accepted in acks.get("acceptances", []):
        user = User.objects.get(username=accepted["username"])
        if not LicenceAcceptance.objects.filter(user=user, licence_id=accepted["licence"]).exists():
            lost.append(f"acceptance of licence {accepted['licence']} by {accepted['username']}: no record")
    return {
        "checked": {
            "edits": len(edits),
            "uploads": len(uploads),
            "acceptances": len(acks.get("acceptances", [])),
        },
        "lost": lost,
    }
