"""Keep access restrictions, identifiers, file descriptions and OAI datestamps in step with publishing."""

import datetime

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from .models import DeliverableIdentifier, DeliverablePage


def _touch(page, **fields):
    DeliverableIdentifier.objects.filter(translation_key=page.translation_key).update(
        datestamp=timezone.now(), **fields
    )


@receiver(page_published, sender=DeliverablePage)
def deliverable_published(sender, instance, **kwargs):
    instance.materialise_access()
    register_identifier(instance)
    from .files import refresh_files

    refresh_files(instance)


def register_identifier(instance):
    """Give the deliverable its identifier if needed and record what OAI-PMH needs to know."""
    row = DeliverableIdentifier.assign(instance)
    moment = timezone.now()
    if instance.under_embargo:
        # Harvesters see the record appear the day its embargo ends, with that datestamp.
        moment = datetime.datetime.combine(
            instance.embargo_until, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )
    row.datestamp = moment
    row.deliverable_type = instance.deliverable_type
    row.workspace_key = instance.workspace_key
    row.was_public = row.was_public or instance.access_level == DeliverablePage.Access.PUBLIC
    row.save()
    instance._identifier = row.identifier
    return row


@receiver(page_unpublished, sender=DeliverablePage)
def deliverable_unpublished(sender, instance, **kwargs):
    _touch(instance)


@receiver(post_delete, sender=DeliverablePage)
def deliverable_deleted(sender, instance, **kwargs):
    _touch(instance)
