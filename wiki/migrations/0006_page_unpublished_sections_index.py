"""A partial index on Wagtail's page table for `wiki.access.unpublished_sections`: the pages
that are not live, which the access rule consults for every page it lists (is a section above
it unpublished?). Only unpublished pages are in it, so it stays small whatever the size of the
wiki, and it answers the rule's question without reading the page table."""

from django.db import migrations

INDEX = "cop_page_unpublished_sections"


class Migration(migrations.Migration):
    dependencies = [
        ("wiki", "0005_meeting_documentation_grid"),
    ]

    operations = [
        migrations.RunSQL(
            # The condition is written as Django writes `live=False`, so that both databases
            # recognise the queries it serves.
            sql=f'CREATE INDEX {INDEX} ON wagtailcore_page (path, numchild, depth) WHERE NOT "live"',
            reverse_sql=f"DROP INDEX {INDEX}",
        ),
    ]
