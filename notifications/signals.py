"""Announce meetings once their publishing transaction has committed."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from wiki.models import MeetingPage


@receiver(page_published, sender=MeetingPage)
def meeting_published(sender, instance, **kwargs):
    from . import meetings

    # robust: a mail failure is logged and never undoes or interrupts the publish.
    transaction.on_commit(partial(meetings.announce, instance.pk), robust=True)
