"""Print MRR and nDCG@5 of the judged queries (tests/search/judgements.json) on this database."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search import relevance


class Command(BaseCommand):
    help = "Score search ranking against the judged queries: MRR and nDCG@5."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(relevance.DEFAULT_FILE), help="Judgement file (JSON).")
        parser.add_argument("--details", action="store_true", help="Show each query's score and top results.")

    def handle(self, *args, **options):
        user = get_user_model()(is_superuser=True, is_active=True, username="relevance")
        try:
            judgements = relevance.load(options["file"])
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        mrr, ndcg, scores = relevance.evaluate(user, judgements)
        if options["details"]:
            for s in scores:
                self.stdout.write(
                    f"{s.reciprocal_rank:.2f} {s.ndcg5:.2f} [{s.language}] {s.query!r} -> {s.top}"
                )
        self.stdout.write(f"database: {connection.vendor}")
        self.stdout.write(f"queries: {len(scores)}")
        self.stdout.write(f"MRR: {mrr:.3f}")
        self.stdout.write(f"nDCG@5: {ndcg:.3f}")
