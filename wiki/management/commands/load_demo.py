from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks

from wiki import demo


class Command(BaseCommand):
    help = (
        "Build the demo site from the case study: partner organisations, the four CoP workspaces "
        "and two committees, the memorandum, pages and meetings in French and English, deliverables "
        "and demo users. Safe to run again: it updates what exists and creates what is missing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            context = demo.load()
            # Other apps add their part (licensing, repository...) through this hook.
            for step in hooks.get_hooks("cop_load_demo"):
                step(context)
        password = settings.DEMO_PASSWORD
        self.stdout.write(
            self.style.SUCCESS(f"Demo content is ready at {settings.WAGTAILADMIN_BASE_URL}/fr/")
        )
        self.stdout.write(f"Every demo account uses the password: {password}")
        for username, description in context["logins"]:
            self.stdout.write(f"  {username:<15} {description}")
