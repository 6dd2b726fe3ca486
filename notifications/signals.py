"""Announce meetings once their publishing transaction has committed."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from wiki.models import MeetingPage


@receiver(page_published, sender=MeetingPage)
def meeting_published(sender, instance, **kwargs):
    from . import meetings

    meeting_id = instance.pk

    # A named function, not functools.partial: Django names it in the log when it fails.
    def announce_meeting():
        meetings.announce(meeting_id)

    # robust: a failure is logged and never undoes or interrupts the publish.
    transaction.on_commit(announce_meeting, robust=True)
