from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications import digests
from notifications.models import Frequency


class Command(BaseCommand):
    help = (
        "Email each member the digests that are due: one email per person and frequency, listing "
        "what changed in their workspaces (and the pages they watch) that they have not seen. "
        "Nothing new means no email. Run it daily (deploy/systemd/cop-manage@send_digests.timer): "
        "daily digests go out every run, weekly ones when a week has passed since the last."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[Frequency.DAILY, Frequency.WEEKLY],
            help="Only this frequency (default: every frequency that is due).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List who would receive what; send nothing and change nothing.",
        )

    def handle(self, *args, frequency=None, dry_run=False, **options):
        frequencies = [frequency] if frequency else [Frequency.DAILY, Frequency.WEEKLY]
        started = timezone.now()
        sent, empty = digests.send_digests(frequencies, dry_run=dry_run, now=started, log=self.stdout.write)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{sent} digest(s) {verb}; {empty} due digest(s) had nothing new "
            f"({(timezone.now() - started).total_seconds():.1f} s)."
        )
