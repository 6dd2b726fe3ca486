from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = (
        "Refresh the database's statistics (ANALYZE) so that its query planner knows how many "
        "rows each table and index holds. Without them, SQLite reads a listing such as the home "
        "page's latest deliverables through the wrong index and its cost grows with the number "
        "of pages. Run it nightly (deploy/systemd) and after a bulk load; it takes seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to analyse.")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            if connection.vendor == "sqlite":
                # Lets SQLite keep its own statistics current between two runs of this command.
                cursor.execute("PRAGMA optimize")
        self.stdout.write(self.style.SUCCESS(f"Statistics refreshed ({connection.vendor})."))
