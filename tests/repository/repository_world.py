"""The repository's access-matrix fixture: one deliverable per access level plus an embargoed one.

Built on `wiki.factories.build_access_matrix` (readers: anonymous, partner, member-a,
member-b, coordinator-a, steering, admin). Every deliverable has one PDF file and is published
through a revision, as an editor would.
"""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverableFile, DeliverablePage
from repository.samples import make_pdf
from wiki.factories import build_access_matrix
from wiki.models import WorkspaceAccess

Access = DeliverablePage.Access
READERS = ["anonymous", "partner", "member-a", "member-b"]


@dataclass
class RepositoryWorld:
    matrix: object
    repository: object
    deliverables: dict
    users: dict


def pdf_document(title, collection=None, name="livrable.pdf"):
    kwargs = {"collection": collection} if collection else {}
    return DocumentFactory(
        title=title, file=ContentFile(make_pdf(title, ["Texte de " + title]), name=name), **kwargs
    )


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_deliverable(repository, workspace, title, access, **fields):
    collection = WorkspaceAccess.objects.get(workspace_key=workspace.translation_key).collection
    page = DeliverablePageFactory(
        parent=repository,
        locale=repository.locale,
        title=title,
        access_level=access,
        workspace_key=workspace.translation_key,
        **fields,
    )
    DeliverableFile.objects.create(page=page, document=pdf_document(title, collection), sort_order=0)
    return publish(page)


def build_repository_world():
    matrix = build_access_matrix()
    tree = matrix.tree
    repository = RepositoryIndexPageFactory(parent=tree.home_fr, locale=tree.fr)
    a = matrix.workspace_a
    deliverables = {
        "public": add_deliverable(repository, a, "Guide public zorglub", Access.PUBLIC),
        "partners": add_deliverable(repository, a, "Outil pour partenaires quetzal", Access.PARTNERS),
        "members": add_deliverable(repository, a, "Rapport interne xylophone", Access.MEMBERS),
        "embargoed": add_deliverable(
            repository,
            a,
            "Plan sous embargo brontosaure",
            Access.PUBLIC,
            embargo_until=timezone.localdate() + datetime.timedelta(days=30),
        ),
    }
    return RepositoryWorld(matrix, repository, deliverables, matrix.users)


# What each reader may do with each deliverable: (see the page, download its files).
EXPECTED = {
    "public": {
        "anonymous": (True, True),
        "partner": (True, True),
        "member-a": (True, True),
        "member-b": (True, True),
    },
    "partners": {
        "anonymous": (False, False),
        "partner": (True, True),
        "member-a": (True, True),
        "member-b": (True, True),
    },
    "members": {
        "anonymous": (False, False),
        "partner": (False, False),
        "member-a": (True, True),
        "member-b": (False, False),
    },
    "embargoed": {
        "anonymous": (True, False),
        "partner": (True, False),
        "member-a": (True, True),
        "member-b": (True, False),
    },
}
