"""Keep materialised access in step with memberships and workspace pages."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from . import access
from .models import Membership, WorkspacePage


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance, **kwargs):
    access.sync_workspace(instance.workspace_key)


@receiver(post_save, sender=WorkspacePage)
def workspace_saved(sender, instance, created, **kwargs):
    # A new translation must be as private as its source at once, not at the next sync.
    if created:
        transaction.on_commit(lambda: access.sync_workspace(instance.translation_key))


@receiver(page_published)
def record_wiki_links(sender, instance, **kwargs):
    """Keep the `[[...]]` links of every published page on record for backlinks."""
    from . import wikilinks

    wikilinks.record_links(instance)
