"""A deliverable's page reads the database a bounded number of times, whatever the number of
its creators, files, versions and licence parties (related rows are fetched in bulk)."""

import datetime

from django.core.files.base import ContentFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from repository_world import publish

from licensing.factories import PartnerOrganisationFactory, memorandum_licence
from repository.factories import DeliverablePageFactory, DocumentFactory, RepositoryIndexPageFactory
from repository.models import DeliverableCreator, DeliverableFile, DeliverablePage
from repository.samples import make_pdf
from wiki.factories import build_access_matrix
from wiki.models import WorkspaceAccess

# Measured on 2026-11-26 (SQLite): 25 queries for an anonymous reader, of which 10 are the
# item's own (licence and identifier, files, version family, readable versions, creators,
# contributors, subjects, statistics, workspace), 9 the licensing app's attribution (parties
# and logos in French, then the English licence and its parties for the English credit line)
# and 6 the page routing, restrictions, menu, breadcrumbs and alternates. A signed-in member
# adds the session, groups, permissions, workflow lock and membership (34).
QUERY_BUDGET = 25
MEMBER_QUERY_BUDGET = 34


def deliverable(repository, workspace, title, size, previous=None, licence=None):
    """A public deliverable with `size` creators, files and contributors."""
    collection = WorkspaceAccess.objects.get(workspace_key=workspace.translation_key).collection
    page = DeliverablePageFactory(
        parent=repository,
        locale=repository.locale,
        title=title,
        access_level=DeliverablePage.Access.PUBLIC,
        workspace_key=workspace.translation_key,
        date_issued=datetime.date(2026, 3, 1),
        previous_version=previous,
        licence=licence,
        version=str(size),
    )
    for number in range(size):
        DeliverableCreator.objects.create(
            page=page,
            family_name=f"Auteur{number}",
            given_name="Marie",
            affiliation="CISSS",
            sort_order=number,
        )
        document = DocumentFactory(
            title=f"{title} {number}",
            collection=collection,
            file=ContentFile(make_pdf(title, [f"Partie {number}"]), name=f"partie-{number}.pdf"),
        )
        DeliverableFile.objects.create(
            page=page, document=document, label=f"Partie {number}", sort_order=number
        )
        page.contributors.add(PartnerOrganisationFactory())
    page.tags.add(*[f"sujet {number}" for number in range(size)])
    return publish(page)


class ItemPageQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        matrix = build_access_matrix()
        cls.member = matrix.users["member-a"]
        repository = RepositoryIndexPageFactory(parent=matrix.tree.home_fr, locale=matrix.tree.fr)
        workspace = matrix.workspace_a
        first = deliverable(
            repository, workspace, "Petit livrable v1", 1, licence=memorandum_licence(parties=1)
        )
        cls.small = deliverable(
            repository,
            workspace,
            "Petit livrable v2",
            1,
            previous=first,
            licence=memorandum_licence(parties=1),
        )
        chain = None
        for number in range(1, 6):
            chain = deliverable(
                repository,
                workspace,
                f"Grand livrable v{number}",
                5,
                previous=chain,
                licence=memorandum_licence(parties=5),
            )
        cls.large = chain

    def count(self, page, user=None):
        if user is not None:
            self.client.force_login(user)
        self.client.get(page.url)  # warm the per-process caches (site, locales, content types)
        with translation.override("fr"), CaptureQueriesContext(connection) as queries:
            response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return len(queries), response

    def test_an_anonymous_reader_costs_at_most_the_budget(self):
        count, _response = self.count(self.small)
        self.assertLessEqual(count, QUERY_BUDGET)

    def test_five_creators_files_parties_and_versions_cost_no_more_than_one_of_each_and_two_versions(self):
        small, _response = self.count(self.small)
        large, response = self.count(self.large)
        self.assertContains(response, "Auteur4")
        self.assertContains(response, "Partie 4")
        self.assertContains(response, "Grand livrable v1")
        self.assertEqual(large, small)

    def test_a_signed_in_member_costs_at_most_the_budget_whatever_the_size(self):
        small, _response = self.count(self.small, self.member)
        large, _response = self.count(self.large, self.member)
        self.assertLessEqual(small, MEMBER_QUERY_BUDGET)
        self.assertEqual(large, small)
