"""Remove a person's two-step sign-in devices (lost phone and recovery codes)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log


class Command(BaseCommand):
    help = "Turn off two-step sign-in for a user who lost their phone and recovery codes."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed = (
            TOTPDevice.objects.filter(user=user).delete()[0]
            + StaticDevice.objects.filter(user=user).delete()[0]
        )
        log(user, "cop.two_factor.reset")
        self.stdout.write(
            f"Two-step sign-in reset for {username} ({removed} devices and codes removed); "
            "they sign in with their password only and can turn it on again."
        )
