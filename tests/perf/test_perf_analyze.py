"""`analyze_database` gives the query planner the tables' real sizes (nightly and after bulk loads)."""

import io

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from wagtail.models import Page

from wiki.factories import WikiPageFactory, WorkspacePageFactory, build_site_tree


def planner_row_count(table):
    """How many rows the database's statistics say `table` holds (None: no statistics)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NULL", [table])
            row = cursor.fetchone() or (None,)
            if row[0] is None:
                cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
                row = cursor.fetchone() or (None,)
            return None if row[0] is None else int(str(row[0]).split()[0])
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        tuples = cursor.fetchone()[0]
        return None if tuples < 0 else int(tuples)


class AnalyzeDatabaseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        tree = build_site_tree()
        workspace = WorkspacePageFactory(parent=tree.workspaces_fr, locale=tree.fr, title="CdP A")
        for number in range(7):
            WikiPageFactory(parent=workspace, locale=tree.fr, title=f"Page {number}")

    def test_the_planner_knows_the_number_of_pages_after_the_command(self):
        call_command("analyze_database", stdout=io.StringIO())
        self.assertEqual(planner_row_count("wagtailcore_page"), Page.objects.count())

    def test_the_command_says_what_it_did(self):
        output = io.StringIO()
        call_command("analyze_database", stdout=output)
        self.assertIn(connection.vendor, output.getvalue())
